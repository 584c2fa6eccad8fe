import TapirCore
import TapirLLM

/// A `CallStore` kept in memory, for tests: the workspace database implements the same protocol.
actor InMemoryCallStore: CallStore {
    private(set) var records: [CallRecord] = []

    func cachedResponse(requestHash: String) async throws -> ChatResponse? {
        records.last { $0.requestHash == requestHash && $0.status == .ok }?.cachedResponse
    }

    func record(_ call: CallRecord) async throws {
        records.append(call)
    }

    var totalCost: Double { records.reduce(0) { $0 + $1.cost } }
}
