import Foundation
import TapirCore
import TapirTestSupport
@testable import TapirLLM

/// Fast retries so the suite stays quick; bounds in tests are loose multiples of these.
let fastRetry = RetryPolicy(baseDelay: 0.05, maxDelay: 0.4, maxServerDelay: 5)

func roleConfig(
    _ server: LoopbackHTTPServer, model: String = "test-model", apiKeyEnv: String? = nil, maxConcurrency: Int = 8,
    requestsPerMinute: Int? = nil, tokensPerMinute: Int? = nil, maxAttempts: Int = 4, timeout: Double = 10,
    priceIn: Double = 0, priceOut: Double = 0, extraBody: [String: String] = [:], stream: Bool = false
) -> RoleConfig {
    RoleConfig(provider: .openai, baseURL: server.baseURL, model: model, apiKeyEnv: apiKeyEnv, maxConcurrency: maxConcurrency,
               requestsPerMinute: requestsPerMinute, tokensPerMinute: tokensPerMinute, maxAttempts: maxAttempts,
               timeoutSeconds: timeout, connectTimeoutSeconds: 2, priceInputPerMillion: priceIn,
               priceOutputPerMillion: priceOut, extraBody: extraBody, stream: stream, temperature: 0.2, maxTokens: 64)
}

func client(_ config: RoleConfig, role: ModelRole = .teacher, environment: [String: String] = [:], pauseAfter: Int = 3) throws -> OpenAIClient {
    try OpenAIClient(role: role, config: config, environment: environment, retryPolicy: fastRetry, pauseAfterFailures: pauseAfter)
}

func ask(_ text: String, round: Int? = nil, stage: Stage? = nil, sampling: SamplingParameters = SamplingParameters()) -> ChatRequest {
    ChatRequest(messages: [.user(text)], sampling: sampling, purpose: CallPurpose(role: .teacher, stage: stage, round: round))
}

/// Wall seconds `body` takes.
func timed<T>(_ body: () async throws -> T) async rethrows -> (T, Double) {
    let start = ContinuousClock.now
    let value = try await body()
    let elapsed = start.duration(to: .now)
    return (value, Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18)
}

/// The thrown `LLMError`, or nil (recording an issue) when something else happened.
func llmError(_ body: () async throws -> Void) async -> LLMError? {
    do {
        try await body()
    } catch let error as LLMError {
        return error
    } catch {
        return nil
    }
    return nil
}
