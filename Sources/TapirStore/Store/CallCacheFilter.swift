import Foundation
import GRDB

/// The request hashes the call cache may answer, in memory, so that asking the cache for a
/// request it never saw (nearly every call of a fresh run) costs no database read.
///
/// Loaded on first use from `llm_calls`' successful rows (every `llm_cache` entry points at
/// one of them). Rows this store writes are noted as they are written; rows other
/// connections write are picked up by an incremental read of the newer ledger rows, at most
/// `refreshInterval` after the previous one, when a lookup misses. A hash in the filter is
/// only a candidate: the cache row itself is still read, so a noted row whose transaction
/// rolled back answers nothing.
final class CallCacheFilter: @unchecked Sendable {
    private let lock = NSLock()
    /// 64-bit digests of the request hashes (8 bytes each however long the ledger grows; a
    /// collision only costs a read).
    private var hashes: Set<UInt64> = []
    private var loaded = false
    /// A task is reading the ledger for the filter.
    private var reading = false
    /// Highest ledger row id read from the database.
    private var lastCallID: Int64 = 0
    private var lastRefresh = ContinuousClock.now
    let refreshInterval: Duration

    init(refreshInterval: Duration = .milliseconds(250)) {
        self.refreshInterval = refreshInterval
    }

    /// Notes a successful call's hash (written by this store, committed or about to be).
    func note(_ hash: String) {
        let key = Self.key(hash)
        lock.withLock { _ = hashes.insert(key) }
    }

    /// Whether the cache may hold `hash`. Reads the ledger rows newer than the last read
    /// (all of them the first time) when the filter misses and a refresh is due; one task
    /// reads at a time (while the first load runs, others answer "maybe", so their callers
    /// read the cache row itself; while a later refresh runs, a miss stays a miss).
    func mayContain(_ hash: String, pool: DatabasePool) async throws -> Bool {
        let key = Self.key(hash)
        let decision: Decision = lock.withLock {
            if hashes.contains(key) { return .known }
            if reading { return loaded ? .absent : .known }
            guard !loaded || lastRefresh.duration(to: .now) >= refreshInterval else { return .absent }
            reading = true
            lastRefresh = .now
            return .read(after: lastCallID)
        }
        let from: Int64
        switch decision {
        case .known: return true
        case .absent: return false
        case let .read(after): from = after
        }
        let rows: [(id: Int64, hash: String)]
        do {
            rows = try await pool.read { db in
                try Row.fetchAll(db, sql: """
                    SELECT id, request_hash FROM llm_calls
                    WHERE id > ? AND status = 'ok' AND response_text IS NOT NULL ORDER BY id
                    """, arguments: [from]).map { (id: $0[0] as Int64, hash: $0[1] as String) }
            }
        } catch {
            lock.withLock { reading = false }
            throw error
        }
        return lock.withLock {
            for row in rows {
                hashes.insert(Self.key(row.hash))
                lastCallID = max(lastCallID, row.id)
            }
            loaded = true
            reading = false
            return hashes.contains(key)
        }
    }

    /// FNV-1a over the hash's UTF-8 bytes.
    static func key(_ hash: String) -> UInt64 {
        var key: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in hash.utf8 { key = (key ^ UInt64(byte)) &* 0x100_0000_01b3 }
        return key
    }

    private enum Decision {
        case known, absent
        case read(after: Int64)
    }
}
