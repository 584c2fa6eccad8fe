/// How one role (student, teacher, judge, classifier) reaches its model.
///
/// In `tapir.yaml` this is one entry under `roles:`; keys are snake_case
/// (`base_url`, `api_key_env`, …). The API key itself is never stored: only the
/// name of the environment variable that holds it.
public struct RoleConfig: Codable, Sendable, Hashable {
    /// `native` runs a GGUF in-process; `openai` talks to an OpenAI-compatible endpoint.
    public enum Provider: String, Codable, Sendable, Hashable, CaseIterable {
        case native, openai
    }

    public var provider: Provider

    // native
    /// GGUF file for `native`; `~` and `$TAPIR_HOME` are expanded.
    public var modelPath: String?
    /// Worker threads for native inference.
    public var threads: Int
    /// Sequences decoded together by the native batch scheduler.
    public var batchSize: Int

    // openai
    /// For example `https://api.openai.com/v1` or `http://127.0.0.1:8000/v1`.
    public var baseURL: String?
    /// Model name sent in the request body.
    public var model: String?
    /// Name of the environment variable holding the API key (`nil`: no Authorization header).
    public var apiKeyEnv: String?
    public var maxConcurrency: Int
    /// Requests-per-minute budget (`nil`: unlimited).
    public var requestsPerMinute: Int?
    /// Tokens-per-minute budget (`nil`: unlimited).
    public var tokensPerMinute: Int?
    /// Attempts per request including the first, for retryable failures.
    public var maxAttempts: Int
    public var timeoutSeconds: Double
    public var connectTimeoutSeconds: Double
    /// US dollars per million prompt tokens.
    public var priceInputPerMillion: Double
    /// US dollars per million completion tokens.
    public var priceOutputPerMillion: Double
    /// Extra HTTP headers (for gateways). Values may reference environment variables as `${NAME}`.
    public var extraHeaders: [String: String]
    /// Extra JSON body fields merged into every request (stored as JSON text per key).
    public var extraBody: [String: String]
    /// Stream replies with server-sent events.
    public var stream: Bool

    // both
    /// Default sampling for this role's calls.
    public var temperature: Double
    public var maxTokens: Int

    public init(
        provider: Provider, modelPath: String? = nil, threads: Int = 2, batchSize: Int = 8,
        baseURL: String? = nil, model: String? = nil, apiKeyEnv: String? = nil, maxConcurrency: Int = 8,
        requestsPerMinute: Int? = nil, tokensPerMinute: Int? = nil, maxAttempts: Int = 5,
        timeoutSeconds: Double = 120, connectTimeoutSeconds: Double = 10,
        priceInputPerMillion: Double = 0, priceOutputPerMillion: Double = 0,
        extraHeaders: [String: String] = [:], extraBody: [String: String] = [:], stream: Bool = false,
        temperature: Double = 0, maxTokens: Int = 512
    ) {
        self.provider = provider
        self.modelPath = modelPath
        self.threads = threads
        self.batchSize = batchSize
        self.baseURL = baseURL
        self.model = model
        self.apiKeyEnv = apiKeyEnv
        self.maxConcurrency = maxConcurrency
        self.requestsPerMinute = requestsPerMinute
        self.tokensPerMinute = tokensPerMinute
        self.maxAttempts = maxAttempts
        self.timeoutSeconds = timeoutSeconds
        self.connectTimeoutSeconds = connectTimeoutSeconds
        self.priceInputPerMillion = priceInputPerMillion
        self.priceOutputPerMillion = priceOutputPerMillion
        self.extraHeaders = extraHeaders
        self.extraBody = extraBody
        self.stream = stream
        self.temperature = temperature
        self.maxTokens = maxTokens
    }
}
