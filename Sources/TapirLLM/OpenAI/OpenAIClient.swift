import Foundation
import Logging
import TapirCore
import TapirStore

/// A `ChatModel` backed by an OpenAI-compatible endpoint (OpenAI, vLLM, SGLang, Ollama,
/// llama.cpp server, gateways), with the role's flow control, retries and health.
///
/// `complete` returns the whole reply; `stream` hands on its text piece by piece as the
/// endpoint sends it. Put a `CachingChatModel` in front of it for the call cache, the
/// ledger and budget caps.
public final class OpenAIClient: CacheableChatModel {
    public let role: ModelRole
    public let config: RoleConfig
    /// Base URL without a trailing slash.
    public let endpoint: String
    public let model: String
    public let flow: FlowController
    public let healthMonitor: RoleHealthMonitor
    public let retryPolicy: RetryPolicy
    private let headers: [(name: String, value: String)]
    private let redactor: Redactor
    private let encoder: ChatRequestEncoder
    private let decoder: ChatReplyDecoder
    private let loop: CurlEventLoop
    private let logger: Logger

    /// - Parameters:
    ///   - initialHealth: the stored health to continue from (a paused role stays paused).
    ///   - onHealthChange: awaited when the role's health changes (see `RoleHealthMonitor`).
    ///
    /// Reads the API key from the variable named by `api_key_env` now; throws
    /// `LLMError.missingAPIKey` (naming the variable, never a value) when it is unset.
    public init(
        role: ModelRole, config: RoleConfig, environment: [String: String] = ProcessInfo.processInfo.environment,
        retryPolicy: RetryPolicy = .standard, pauseAfterFailures: Int = 3, loop: CurlEventLoop = .shared,
        logger: Logger = Logger(label: "tapir.llm"), initialHealth: RoleHealthRecord? = nil,
        onHealthChange: (@Sendable (RoleHealthRecord) async -> Void)? = nil
    ) throws {
        guard let base = config.baseURL?.trimmingCharacters(in: .whitespaces), !base.isEmpty else {
            throw LLMError.missingSetting(key: "base_url", role: role.rawValue)
        }
        guard let model = config.model, !model.isEmpty else {
            throw LLMError.missingSetting(key: "model", role: role.rawValue)
        }
        var secrets: [String] = []
        var headers: [(name: String, value: String)] = [("Content-Type", "application/json")]
        if let variable = config.apiKeyEnv, !variable.isEmpty {
            guard let key = environment[variable], !key.isEmpty else { throw LLMError.missingAPIKey(variable: variable) }
            secrets.append(key)
            headers.append(("Authorization", "Bearer \(key)"))
        }
        for (name, template) in config.extraHeaders.sorted(by: { $0.key < $1.key }) {
            let (value, usedSecrets) = Self.expand(template, environment: environment)
            secrets += usedSecrets
            headers.append((name, value))
        }
        var extraBody: [String: JSONValue] = [:]
        for (key, text) in config.extraBody {
            // A value that is not JSON is taken as a plain string.
            extraBody[key] = (try? JSONValue.parse(text)) ?? .string(text)
        }
        self.role = role
        self.config = config
        self.endpoint = base.hasSuffix("/") ? String(base.dropLast()) : base
        self.model = model
        self.headers = headers
        self.redactor = Redactor(secrets: secrets)
        self.encoder = ChatRequestEncoder(
            baseURL: endpoint, model: model, defaultTemperature: config.temperature,
            defaultMaxTokens: config.maxTokens, extraBody: extraBody)
        self.decoder = ChatReplyDecoder(endpoint: endpoint, redactor: redactor)
        self.flow = FlowController(maxConcurrency: config.maxConcurrency, requestsPerMinute: config.requestsPerMinute,
                                   tokensPerMinute: config.tokensPerMinute)
        self.healthMonitor = RoleHealthMonitor(role: role, pauseAfter: pauseAfterFailures, initial: initialHealth,
                                               onChange: onHealthChange)
        self.retryPolicy = retryPolicy
        self.loop = loop
        self.logger = logger
    }

    public var name: String { "\(model) @ \(endpoint)" }

    /// The role's current status.
    public var health: RoleHealthRecord { healthMonitor.snapshot }

    public func requestHash(for request: ChatRequest) -> String { encoder.hash(request) }

    public func cost(of usage: TokenUsage) -> Double {
        (Double(usage.promptTokens) * config.priceInputPerMillion
            + Double(usage.completionTokens) * config.priceOutputPerMillion) / 1_000_000
    }

    /// The hash and the non-streamed JSON body from one serialisation.
    public func prepare(_ request: ChatRequest) -> PreparedChatRequest {
        let (hash, body) = encoder.prepare(request)
        return PreparedChatRequest(request: request, hash: hash, encoded: body)
    }

    /// The whole reply (streamed from the endpoint when the role's `stream` is set).
    public func complete(_ request: ChatRequest) async throws -> ChatResponse {
        try await perform(request, streamed: config.stream, onText: nil)
    }

    /// The whole reply to a request this client prepared (its body is not encoded again).
    public func complete(_ prepared: PreparedChatRequest) async throws -> ChatResponse {
        try await perform(prepared.request, streamed: config.stream, body: prepared.encoded, onText: nil)
    }

    /// The reply streamed: each `.text` piece as soon as the endpoint sent it, then one
    /// `.finished` with the whole reply and its usage. Retries like `complete` until the
    /// first piece was handed on; a failure after that ends the stream with the typed error
    /// (a cut connection is `LLMError.transport(kind: .dropped)`). Stopping the iteration
    /// cancels the request.
    public func stream(_ request: ChatRequest) -> AsyncThrowingStream<ChatDelta, Error> {
        AsyncThrowingStream { continuation in
            let task = Task {
                do {
                    let response = try await self.perform(request, streamed: true) { continuation.yield(.text($0)) }
                    continuation.yield(.finished(response))
                    continuation.finish()
                } catch {
                    continuation.finish(throwing: error)
                }
            }
            continuation.onTermination = { _ in task.cancel() }
        }
    }

    /// One request with flow control, retries and health; `onText` gets streamed pieces.
    /// `body`: the request's non-streamed body when already encoded (see `prepare`).
    private func perform(
        _ request: ChatRequest, streamed: Bool, body: Data? = nil, onText: (@Sendable (String) -> Void)?
    ) async throws -> ChatResponse {
        try healthMonitor.checkUsable()
        var headers = headers
        headers.append(("Accept", streamed ? "text/event-stream" : "application/json"))
        let http = HTTPRequest(
            method: .post, url: endpoint + "/chat/completions", headers: headers,
            body: (streamed ? nil : body) ?? encoder.body(request, stream: streamed),
            timeout: config.timeoutSeconds, connectTimeout: config.connectTimeoutSeconds)
        let estimate = encoder.estimatedTokens(request)
        var attempt = 1
        while true {
            try await flow.acquire(estimatedTokens: estimate)
            AttemptCounter.current?.increment()
            let started = ContinuousClock.now
            let failure: LLMError
            var serverDelay: Double?
            let stream = streamed ? StreamingReplyDecoder(endpoint: endpoint, redactor: redactor, onText: onText) : nil
            do {
                let sink: (@Sendable (Data) -> Void)? = stream.map { decoder in { @Sendable bytes in decoder.feed(bytes) } }
                let response = try await loop.perform(http, onBody: sink)
                if (200..<300).contains(response.status) {
                    let reply: ChatReplyDecoder.Reply
                    if let stream, ChatReplyDecoder.isEventStream(response) {
                        reply = try stream.finish(response)
                    } else {
                        reply = try decoder.decode(response)
                        // A server that ignored `stream: true` sent the whole reply at once.
                        if let onText, stream != nil, !reply.text.isEmpty { onText(reply.text) }
                    }
                    let latency = Self.seconds(started.duration(to: .now))
                    let usage = reply.usage ?? TokenUsage(
                        promptTokens: request.messages.reduce(0) { $0 + $1.content.count } / 4,
                        completionTokens: reply.text.count / 4)
                    await flow.release(estimatedTokens: estimate, actualTokens: usage.totalTokens)
                    await healthMonitor.recordSuccess()
                    return ChatResponse(text: reply.text, usage: usage, finishReason: reply.finishReason,
                                        latency: latency, model: reply.model ?? model, cached: false, cost: cost(of: usage))
                }
                failure = decoder.httpError(response)
                if response.status == 429 || response.status == 503 {
                    serverDelay = RetryPolicy.serverDelay(headers: response.headers)
                    if let serverDelay { await flow.pause(for: min(serverDelay, retryPolicy.maxServerDelay)) }
                }
            } catch let error as TransportError {
                failure = .transport(endpoint: endpoint, kind: error.kind, message: redactor.redact(error.message))
            } catch let error as LLMError {
                failure = error
            } catch {
                await flow.release(estimatedTokens: estimate, actualTokens: nil)
                throw error
            }
            await flow.release(estimatedTokens: estimate, actualTokens: nil)
            // Text already handed on cannot be taken back: such an attempt is not retried.
            let delivered = stream?.hasDeliveredText ?? false
            guard failure.isRetryable, attempt < config.maxAttempts, !delivered else {
                await healthMonitor.recordFailure(failure)
                logger.warning("\(role.rawValue) call failed after \(attempt) attempt(s): \(failure.description)")
                throw failure
            }
            let delay = retryPolicy.delay(afterAttempt: attempt, serverDelay: serverDelay)
            logger.info("\(role.rawValue) attempt \(attempt) failed (\(failure.description)); retrying in \(String(format: "%.2f", delay)) s")
            try await Task.sleep(for: .milliseconds(Int(delay * 1000)))
            attempt += 1
        }
    }

    /// `GET {base}/models`: the model ids the endpoint serves.
    public func listModels() async throws -> [String] {
        let jsonHeaders = headers + [(name: "Accept", value: "application/json")]
        let http = HTTPRequest(method: .get, url: endpoint + "/models", headers: jsonHeaders,
                               timeout: config.timeoutSeconds, connectTimeout: config.connectTimeoutSeconds)
        let response: HTTPResponse
        do {
            response = try await loop.perform(http)
        } catch let error as TransportError {
            throw LLMError.transport(endpoint: endpoint, kind: error.kind, message: redactor.redact(error.message))
        }
        guard (200..<300).contains(response.status) else { throw decoder.httpError(response) }
        let json = try decoder.parseJSON(response)
        guard let data = (json["data"] ?? json["models"])?.array else {
            throw decoder.invalid(response, "missing field `data`")
        }
        return data.compactMap { $0["id"]?.string ?? $0["name"]?.string ?? $0["model"]?.string }
    }

    /// Substitutes `${NAME}` with the environment's value; returns the values used (they are secrets).
    static func expand(_ template: String, environment: [String: String]) -> (String, [String]) {
        var result = ""
        var used: [String] = []
        var rest = Substring(template)
        while let open = rest.range(of: "${"), let close = rest[open.upperBound...].firstIndex(of: "}") {
            result += rest[..<open.lowerBound]
            let name = String(rest[open.upperBound..<close])
            let value = environment[name] ?? ""
            if !value.isEmpty { used.append(value) }
            result += value
            rest = rest[rest.index(after: close)...]
        }
        return (result + rest, used)
    }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) * 1e-18
    }
}
