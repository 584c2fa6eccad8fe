import Foundation
import Logging
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

func client(_ config: RoleConfig, role: ModelRole = .teacher, environment: [String: String] = [:], pauseAfter: Int = 3,
            logger: Logger = Logger(label: "tapir.llm.tests")) throws -> OpenAIClient {
    try OpenAIClient(role: role, config: config, environment: environment, retryPolicy: fastRetry, pauseAfterFailures: pauseAfter,
                     logger: logger)
}

/// A log handler that keeps every rendered line, to check what reaches the logs.
struct CapturingLogHandler: LogHandler {
    final class Lines: @unchecked Sendable {
        private let lock = NSLock()
        private var stored: [String] = []
        func append(_ line: String) { lock.withLock { stored.append(line) } }
        var all: [String] { lock.withLock { stored } }
    }

    let lines: Lines
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .trace

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        lines.append("\(event.level) \(event.message) \(event.metadata ?? [:])")
    }
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
