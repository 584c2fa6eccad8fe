import Foundation
import GRDB
import TapirCore

/// A row of `llm_calls`, the cost ledger: one call that reached a model endpoint, its reply
/// or (redacted) error, tokens and cost. Every paid call is one row; `llm_cache` points each
/// request hash at its latest successful row. Never holds an API key or header.
public struct LLMCallRecord: Codable, Sendable, Hashable, Identifiable, FetchableRecord, MutablePersistableRecord {
    public static let databaseTableName = "llm_calls"

    public var id: Int64?
    /// Stable hash of endpoint, model, messages and sampling (computed by the client).
    public var requestHash: String
    public var role: ModelRole
    public var stage: Stage?
    public var round: Int?
    /// Base URL or `native`; never contains credentials.
    public var endpoint: String
    public var model: String
    public var status: LLMCallStatus
    public var responseText: String?
    public var finishReason: String?
    public var promptTokens: Int
    public var completionTokens: Int
    /// US dollars.
    public var cost: Double
    /// Seconds.
    public var latency: Double
    /// HTTP requests the call took, retries included (v4; 1 for older rows).
    public var attempts: Int
    public var error: String?
    public var createdAt: Date

    public init(
        id: Int64? = nil, requestHash: String, role: ModelRole, stage: Stage? = nil, round: Int? = nil, endpoint: String,
        model: String, status: LLMCallStatus, responseText: String? = nil, finishReason: String? = nil,
        promptTokens: Int = 0, completionTokens: Int = 0, cost: Double = 0, latency: Double = 0, attempts: Int = 1,
        error: String? = nil, createdAt: Date = Date()
    ) {
        self.id = id
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
        self.attempts = attempts
        self.error = error
        self.createdAt = createdAt
    }

    enum CodingKeys: String, CodingKey {
        case id, role, stage, round, endpoint, model, status, cost, latency, attempts, error
        case requestHash = "request_hash", responseText = "response_text", finishReason = "finish_reason"
        case promptTokens = "prompt_tokens", completionTokens = "completion_tokens", createdAt = "created_at"
    }

    public mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }

    /// The reply this call stands for, marked `cached` (nil for a failed call). A finish
    /// reason tapir does not know becomes `.other`.
    public var cachedResponse: ChatResponse? {
        guard status == .ok, let responseText else { return nil }
        return ChatResponse(
            text: responseText, usage: TokenUsage(promptTokens: promptTokens, completionTokens: completionTokens),
            finishReason: finishReason.flatMap(FinishReason.init(rawValue:)) ?? .other, latency: latency, model: model,
            cached: true, cost: cost)
    }
}

/// Cost-ledger totals for one (role, stage, round) group.
public struct LedgerRow: Codable, Sendable, Hashable {
    public var role: ModelRole
    public var stage: Stage?
    public var round: Int?
    public var calls: Int
    public var errors: Int
    public var promptTokens: Int
    public var completionTokens: Int
    public var cost: Double
    /// Summed seconds.
    public var latency: Double

    public init(role: ModelRole, stage: Stage?, round: Int?, calls: Int, errors: Int, promptTokens: Int,
                completionTokens: Int, cost: Double, latency: Double) {
        self.role = role
        self.stage = stage
        self.round = round
        self.calls = calls
        self.errors = errors
        self.promptTokens = promptTokens
        self.completionTokens = completionTokens
        self.cost = cost
        self.latency = latency
    }
}
