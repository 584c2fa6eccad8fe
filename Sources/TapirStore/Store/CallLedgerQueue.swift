import Foundation
import GRDB

/// Group commit for the LLM call ledger. A row handed in is committed in the background
/// together with the rows handed in meanwhile (one transaction for many concurrent calls
/// instead of a queue on the database's single writer), and its caller need not wait.
///
/// The durability contract: a paid call's ledger row is committed before anything derived
/// from its reply is. Every other write of the store first commits the rows still pending
/// (`commitPending`, holding the writer, so nothing enqueued before that write can be
/// committed after it). A row that cannot be stored makes the queue failed for good: every
/// later write of the store throws `StoreError.ledgerWriteFailed`, so the engine stops
/// instead of paying for calls it cannot record.
final class CallLedgerQueue: @unchecked Sendable {
    /// Told once its row is committed (with its id) or could not be stored.
    typealias Completion = @Sendable (Result<LLMCallRecord, any Error>) -> Void

    private let pool: DatabasePool
    private let callCache: CallCacheFilter
    private let maxBatch: Int
    private let lock = NSLock()
    private var pending: [(call: LLMCallRecord, done: Completion?)] = []
    private var draining = false
    private var failure: StoreError?
    /// Successful calls handed in and not yet committed, by request hash: how many, and the
    /// latest (the one the cache is to answer with once they are committed).
    private var unsettled: [String: (count: Int, latest: LLMCallRecord)] = [:]

    init(pool: DatabasePool, callCache: CallCacheFilter, maxBatch: Int = 256) {
        self.pool = pool
        self.callCache = callCache
        self.maxBatch = maxBatch
    }

    /// Hands `call` in (see `StoreWriter.recordCall`) and returns at once; `done` is told
    /// when it is committed. The write is not cancellable: a call that was paid for is
    /// recorded even when its caller is cancelled.
    func enqueue(_ call: LLMCallRecord, done: Completion? = nil) {
        let start = lock.withLock {
            pending.append((call, done))
            if call.status == .ok {
                unsettled[call.requestHash] = ((unsettled[call.requestHash]?.count ?? 0) + 1, call)
            }
            defer { draining = true }
            return !draining
        }
        // A detached task: the database refuses writes from a cancelled task.
        if start { Task.detached { await self.drain() } }
    }

    /// Stores `call` like `enqueue` and returns once it is committed, with its id.
    func record(_ call: LLMCallRecord) async throws -> LLMCallRecord {
        try await withCheckedThrowingContinuation { continuation in
            enqueue(call) { continuation.resume(with: $0) }
        }
    }

    /// The latest successful call for `requestHash` handed in and not yet committed, so a
    /// cache lookup sees a reply as soon as it is paid for, not only once its row commits.
    func unsettledCall(requestHash: String) -> LLMCallRecord? {
        lock.withLock { unsettled[requestHash]?.latest }
    }

    /// Forgets `call` as unsettled once its row is committed (or could not be stored).
    private func settle(_ call: LLMCallRecord) {
        guard call.status == .ok else { return }
        lock.withLock {
            guard let entry = unsettled[call.requestHash] else { return }
            if entry.count <= 1 {
                unsettled[call.requestHash] = nil
            } else {
                unsettled[call.requestHash] = (entry.count - 1, entry.latest)
            }
        }
    }

    /// Commits every pending row, then throws `StoreError.ledgerWriteFailed` if any row ever
    /// failed. Called holding the writer, outside a transaction, before every other write of
    /// the store; costs one lock when nothing is pending.
    func commitPending(_ db: Database) throws {
        writePending(db)
        try check()
    }

    /// Throws `StoreError.ledgerWriteFailed` if a row could not be stored.
    func check() throws {
        if let failure = lock.withLock({ failure }) { throw failure }
    }

    /// Commits every pending row, batch after batch, each row in a savepoint of its own.
    private func writePending(_ db: Database) {
        while true {
            let batch: [(call: LLMCallRecord, done: Completion?)] = lock.withLock {
                let batch = Array(pending.prefix(maxBatch))
                pending.removeFirst(batch.count)
                return batch
            }
            if batch.isEmpty { break }
            var results: [Result<LLMCallRecord, any Error>] = []
            do {
                try db.inTransaction {
                    let writer = StoreWriter(db: db, callCache: callCache)
                    results = batch.map { item in
                        // A savepoint per row: only a failing row fails.
                        Result {
                            var stored: LLMCallRecord?
                            try db.inSavepoint {
                                stored = try writer.recordCall(item.call)
                                return .commit
                            }
                            return stored!
                        }
                    }
                    return .commit
                }
            } catch {
                results = batch.map { _ in .failure(error) }
            }
            for (item, result) in zip(batch, results) {
                if case let .failure(error) = result { fail(item.call, error) }
                settle(item.call)
                item.done?(result)
            }
        }
    }

    /// Notes the first row that could not be stored.
    private func fail(_ call: LLMCallRecord, _ error: any Error) {
        lock.withLock {
            if failure == nil {
                failure = .ledgerWriteFailed(role: call.role.rawValue, requestHash: call.requestHash,
                                             reason: String(describing: error))
            }
        }
    }

    /// Writes what is pending until nothing is left.
    private func drain() async {
        while true {
            do {
                try await pool.writeWithoutTransaction { self.writePending($0) }
            } catch {
                // No write access at all: fail what waits rather than retry forever.
                let stranded = lock.withLock {
                    defer { pending.removeAll() }
                    return pending
                }
                for item in stranded {
                    fail(item.call, error)
                    settle(item.call)
                    item.done?(.failure(error))
                }
            }
            let done = lock.withLock {
                if pending.isEmpty { draining = false }
                return !draining
            }
            if done { return }
        }
    }
}
