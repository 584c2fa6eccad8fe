import Foundation

/// Anything that answers chat requests: an OpenAI-compatible endpoint or the native
/// in-process model. Calls may be made concurrently; implementations batch or limit
/// them as they see fit. Cancelling the calling task cancels the call.
public protocol ChatModel: Sendable {
    /// A short human-readable name (endpoint model name or GGUF file name).
    var name: String { get }

    /// Answers one request. Throws `CancellationError` when the task is cancelled.
    func complete(_ request: ChatRequest) async throws -> ChatResponse
}

/// Teacher-forced likelihood of a response under a model.
public struct ResponseLikelihood: Codable, Sendable, Hashable {
    /// Number of response tokens scored.
    public var tokenCount: Int
    /// Mean negative log-likelihood (nats per token) of the response given the prompt.
    public var meanNLL: Double
    /// Mean NLL of the response with no prompt (the response alone).
    public var unconditionalMeanNLL: Double

    public init(tokenCount: Int, meanNLL: Double, unconditionalMeanNLL: Double) {
        self.tokenCount = tokenCount
        self.meanNLL = meanNLL
        self.unconditionalMeanNLL = unconditionalMeanNLL
    }

    /// PPL(response | prompt).
    public var perplexity: Double { Foundation.exp(meanNLL) }
    /// IFD = PPL(response | prompt) / PPL(response).
    public var ifd: Double { Foundation.exp(meanNLL - unconditionalMeanNLL) }
}

/// A model that can score text by teacher forcing (the native student). Used for the
/// judge-free difficulty (NLL, IFD) and for classification by label likelihood.
public protocol LikelihoodScorer: Sendable {
    /// Scores `response` as the assistant's reply to `messages`, and once more with no prompt.
    func likelihood(of response: String, after messages: [ChatMessage]) async throws -> ResponseLikelihood
}
