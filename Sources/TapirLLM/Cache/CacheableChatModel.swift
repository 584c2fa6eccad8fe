import Foundation
import TapirCore

/// A `ChatModel` whose requests have a stable identity, so their answers can be cached.
public protocol CacheableChatModel: ChatModel {
    /// The role this model plays (used in the ledger when a request carries no purpose).
    var role: ModelRole { get }
    /// Base URL (or other identity) of the endpoint, recorded in the ledger.
    var endpoint: String { get }
    /// The model name sent to the endpoint.
    var model: String { get }
    /// SHA-256 hex over endpoint, model, messages and the effective sampling parameters.
    func requestHash(for request: ChatRequest) -> String
    /// Dollar cost of `usage` under this model's configured prices.
    func cost(of usage: TokenUsage) -> Double
    /// The reply piece by piece, then `.finished` with the whole reply.
    func stream(_ request: ChatRequest) -> AsyncThrowingStream<ChatDelta, Error>
    /// `request` with its hash and, where the model has one, its encoded form, computed once
    /// for both the cache lookup and the call (default: the hash only).
    func prepare(_ request: ChatRequest) -> PreparedChatRequest
    /// The whole reply to a prepared request (default: `complete(prepared.request)`).
    func complete(_ prepared: PreparedChatRequest) async throws -> ChatResponse
}

extension CacheableChatModel {
    public func prepare(_ request: ChatRequest) -> PreparedChatRequest {
        PreparedChatRequest(request: request, hash: requestHash(for: request))
    }

    public func complete(_ prepared: PreparedChatRequest) async throws -> ChatResponse {
        try await complete(prepared.request)
    }
}

/// A request made ready once by `CacheableChatModel.prepare`: its cache key (`hash`,
/// equal to `requestHash(for: request)`) and the model's own encoding of it, if any, so a
/// call does not serialise the request a second time.
public struct PreparedChatRequest: Sendable {
    public var request: ChatRequest
    public var hash: String
    /// The encoded request as the model that prepared it sends it (for `OpenAIClient`, the
    /// JSON body of a non-streamed completion); `nil` when the model has none.
    public var encoded: Data?

    public init(request: ChatRequest, hash: String, encoded: Data? = nil) {
        self.request = request
        self.hash = hash
        self.encoded = encoded
    }
}
