import Foundation
import GRDB

/// Group commit for the LLM call ledger: rows handed in while a write transaction is under
/// way are stored together in the next one, so concurrent calls share a transaction instead
/// of queueing one by one on the database's single writer. Every caller still waits until
/// its own row is committed, so a paid call is durable before its reply is used.
final class CallLedgerQueue: @unchecked Sendable {
    private let pool: DatabasePool
    private let callCache: CallCacheFilter
    private let maxBatch: Int
    private let lock = NSLock()
    private var pending: [(call: LLMCallRecord, continuation: CheckedContinuation<LLMCallRecord, any Error>)] = []
    private var draining = false

    init(pool: DatabasePool, callCache: CallCacheFilter, maxBatch: Int = 256) {
        self.pool = pool
        self.callCache = callCache
        self.maxBatch = maxBatch
    }

    /// Stores `call` (see `StoreWriter.recordCall`) and returns it with its id. Not
    /// cancellable: a call that was paid for is recorded even when its caller is cancelled.
    func record(_ call: LLMCallRecord) async throws -> LLMCallRecord {
        try await withCheckedThrowingContinuation { continuation in
            let start = lock.withLock {
                pending.append((call, continuation))
                defer { draining = true }
                return !draining
            }
            // A detached task: the database refuses writes from a cancelled task.
            if start { Task.detached { await self.drain() } }
        }
    }

    /// The next rows to write; none (and the drain ends) when nothing is pending.
    private func takeBatch() -> [(call: LLMCallRecord, continuation: CheckedContinuation<LLMCallRecord, any Error>)] {
        lock.withLock {
            let batch = Array(pending.prefix(maxBatch))
            pending.removeFirst(batch.count)
            if batch.isEmpty { draining = false }
            return batch
        }
    }

    /// Writes what is pending, batch after batch, until nothing is left.
    private func drain() async {
        while true {
            let batch = takeBatch()
            if batch.isEmpty { return }
            let calls = batch.map(\.call)
            do {
                let callCache = callCache
                let stored = try await pool.write { db in
                    let writer = StoreWriter(db: db, callCache: callCache)
                    return try calls.map { try writer.recordCall($0) }
                }
                for (item, call) in zip(batch, stored) { item.continuation.resume(returning: call) }
            } catch {
                // The transaction was rolled back: one at a time, so only a failing row fails.
                for item in batch {
                    do {
                        let call = item.call, callCache = callCache
                        item.continuation.resume(returning: try await pool.write {
                            try StoreWriter(db: $0, callCache: callCache).recordCall(call)
                        })
                    } catch {
                        item.continuation.resume(throwing: error)
                    }
                }
            }
        }
    }
}
