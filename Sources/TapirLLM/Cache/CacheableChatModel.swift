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
}
