import Foundation
import TapirCore

/// One row of the call ledger: a finished call to a model endpoint, successful or not.
/// Never holds an API key or header; `errorMessage` and `responseText` come redacted.
public struct CallRecord: Codable, Sendable, Hashable {
    public enum Status: String, Codable, Sendable, Hashable { case ok, error }

    /// SHA-256 over endpoint, model, messages and sampling (`RequestHasher`).
    public var requestHash: String
    /// The paying role: the request's purpose, else the model's own role.
    public var role: ModelRole
    public var stage: Stage?
    public var round: Int?
    /// Base URL of the endpoint.
    public var endpoint: String
    public var model: String
    public var status: Status
    public var responseText: String?
    public var finishReason: FinishReason?
    public var promptTokens: Int
    public var completionTokens: Int
    /// US dollars.
    public var cost: Double
    /// Seconds.
    public var latency: Double
    public var errorMessage: String?
    public var createdAt: Date

    public init(
        requestHash: String, role: ModelRole, stage: Stage?, round: Int?, endpoint: String, model: String,
        status: Status, responseText: String?, finishReason: FinishReason?, promptTokens: Int, completionTokens: Int,
        cost: Double, latency: Double, errorMessage: String?, createdAt: Date = Date()
    ) {
        self.requestHash = requestHash
        self.role = role
        self.stage = stage
        self.round = round
        self.endpoint = endpoint
        self.model = model
        self.status = status
        self.responseText = responseText
        self.finishReason = finishReason
        self.promptTokens = promptTokens
        self.completionTokens = completionTokens
        self.cost = cost
        self.latency = latency
        self.errorMessage = errorMessage
        self.createdAt = createdAt
    }

    /// The cached answer this record stands for (`nil` for failed calls).
    public var cachedResponse: ChatResponse? {
        guard status == .ok, let responseText else { return nil }
        return ChatResponse(
            text: responseText, usage: TokenUsage(promptTokens: promptTokens, completionTokens: completionTokens),
            finishReason: finishReason ?? .other, latency: latency, model: model, cached: true, cost: cost)
    }
}
