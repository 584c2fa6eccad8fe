import Foundation
import TapirCore
import TapirStore

/// The workspace database is the production `CallStore`: successful rows of `llm_calls`
/// are the reply cache, every row is part of the cost ledger.
extension WorkspaceStore: CallStore {
    public func cachedResponse(requestHash: String) async throws -> ChatResponse? {
        let hit = try await read { try $0.cachedCall(requestHash: requestHash) }
        guard let hit, hit.status == .ok, let text = hit.responseText else { return nil }
        return ChatResponse(
            text: text, usage: TokenUsage(promptTokens: hit.promptTokens, completionTokens: hit.completionTokens),
            finishReason: hit.finishReason.flatMap(FinishReason.init(rawValue:)) ?? .other, latency: hit.latency,
            model: hit.model, cached: true, cost: hit.cost)
    }

    /// Stores the call. The write runs as its own task: the database refuses writes from a
    /// cancelled task, and a call that was paid for must be recorded even when the stage
    /// that asked for it is being cancelled.
    public func record(_ call: CallRecord) async throws {
        let row = LLMCallRecord(call)
        _ = try await Task { try await self.write { try $0.recordCall(row) } }.value
    }
}

extension LLMCallRecord {
    /// The ledger row for a finished call as the client reports it.
    public init(_ call: CallRecord) {
        self.init(
            requestHash: call.requestHash, role: call.role, stage: call.stage, round: call.round, endpoint: call.endpoint,
            model: call.model, status: call.status == .ok ? .ok : .error, responseText: call.responseText,
            finishReason: call.finishReason?.rawValue, promptTokens: call.promptTokens,
            completionTokens: call.completionTokens, cost: call.cost, latency: call.latency, error: call.errorMessage,
            createdAt: call.createdAt)
    }
}
