/// Tokens a call consumed, as the model reported them.
public struct TokenUsage: Codable, Sendable, Hashable {
    public var promptTokens: Int
    public var completionTokens: Int

    public init(promptTokens: Int, completionTokens: Int) {
        self.promptTokens = promptTokens
        self.completionTokens = completionTokens
    }

    public var totalTokens: Int { promptTokens + completionTokens }
}

/// Why generation ended.
public enum FinishReason: String, Codable, Sendable, Hashable {
    /// End-of-sequence token or a stop string.
    case stop
    /// The `maxTokens` limit.
    case length
    /// The endpoint filtered the content.
    case contentFilter = "content_filter"
    /// The caller cancelled the request.
    case cancelled
    /// Anything else the endpoint said.
    case other
}

/// A model's answer to a `ChatRequest`.
public struct ChatResponse: Codable, Sendable, Hashable {
    public var text: String
    public var usage: TokenUsage
    public var finishReason: FinishReason
    /// Wall time of the call in seconds (for a cached answer: the original call's latency).
    public var latency: Double
    /// The model name the endpoint reported (or the local model's name).
    public var model: String
    /// True when the answer came from the workspace's call cache.
    public var cached: Bool
    /// Cost in US dollars according to the configured prices (0 for local models).
    public var cost: Double

    public init(
        text: String, usage: TokenUsage, finishReason: FinishReason, latency: Double, model: String,
        cached: Bool = false, cost: Double = 0
    ) {
        self.text = text
        self.usage = usage
        self.finishReason = finishReason
        self.latency = latency
        self.model = model
        self.cached = cached
        self.cost = cost
    }
}
