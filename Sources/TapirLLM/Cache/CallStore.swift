import TapirCore

/// Where the call cache and cost ledger live (the workspace database in production).
public protocol CallStore: Sendable {
    /// The stored successful response for `requestHash`, if any, with `cached == true`.
    func cachedResponse(requestHash: String) async throws -> ChatResponse?
    /// Appends a finished call (successful or failed) to the ledger.
    func record(_ call: CallRecord) async throws
}
