import Foundation
import GRDB
import TapirCore

/// The workspace database (`tapir.sqlite`): a GRDB `DatabasePool` in WAL mode, migrated on
/// open, with a busy timeout so the engine, dashboards and CLI commands in other processes
/// can read while one of them writes.
///
/// Reads go through `read { reader in … }` (a `StoreReader`), writes through
/// `write { writer in … }` (a `StoreWriter`, one transaction), changes are observed with
/// `observe(_:)`. Frequent single operations have shortcuts here.
public final class WorkspaceStore: Sendable {
    /// The underlying pool (for GRDB observation APIs; use the typed methods for queries).
    public let pool: DatabasePool
    public let path: String
    private let callQueue: CallLedgerQueue
    private let callCache = CallCacheFilter()

    /// Opens or creates the database at `path` and applies pending migrations.
    public init(path: String, busyTimeout: TimeInterval = 10) throws {
        var configuration = Configuration()
        configuration.busyMode = .timeout(busyTimeout)
        configuration.foreignKeysEnabled = true
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
            // Map the file instead of copying pages through read(): cheaper scans.
            try db.execute(sql: "PRAGMA mmap_size = 268435456")
        }
        self.path = path
        let pool = try DatabasePool(path: path, configuration: configuration)
        self.pool = pool
        self.callQueue = CallLedgerQueue(pool: pool, callCache: callCache)
        try StoreMigrations.migrator.migrate(pool)
    }

    /// Identifiers of the migrations applied to this database, in order.
    public func appliedMigrations() throws -> [String] {
        try pool.read { try StoreMigrations.migrator.appliedIdentifiers($0) }.sorted()
    }

    /// Runs `body` on a read-only snapshot.
    public func read<T>(_ body: (StoreReader) throws -> T) throws -> T {
        try pool.read { try body(StoreReader(db: $0)) }
    }

    /// Runs `body` in one write transaction (rolled back when it throws), after the ledger
    /// rows handed in before it are committed (`enqueueCall`); throws
    /// `StoreError.ledgerWriteFailed` instead when one of them could not be stored.
    public func write<T>(_ body: (StoreWriter) throws -> T) throws -> T {
        try pool.writeWithoutTransaction { db in
            try callQueue.commitPending(db)
            return try Self.transaction(db, callCache: callCache, body)
        }
    }

    /// Async variant of `read`, off the caller's thread.
    public func read<T: Sendable>(_ body: @escaping @Sendable (StoreReader) throws -> T) async throws -> T {
        try await pool.read { try body(StoreReader(db: $0)) }
    }

    /// Async variant of `write`, off the caller's thread.
    public func write<T: Sendable>(_ body: @escaping @Sendable (StoreWriter) throws -> T) async throws -> T {
        let callCache = callCache, callQueue = callQueue
        return try await pool.writeWithoutTransaction { db in
            try callQueue.commitPending(db)
            return try Self.transaction(db, callCache: callCache, body)
        }
    }

    /// `body` in one transaction of `db`, as `DatabasePool.write` runs it.
    private static func transaction<T>(
        _ db: Database, callCache: CallCacheFilter, _ body: (StoreWriter) throws -> T
    ) throws -> T {
        var result: T?
        try db.inTransaction {
            result = try body(StoreWriter(db: db, callCache: callCache))
            return .commit
        }
        return result!
    }

    // MARK: - Shortcuts

    /// The latest successful stored reply for `requestHash`, if any (the LLM reply cache).
    public func cachedCall(requestHash: String) throws -> LLMCallRecord? {
        try read { try $0.cachedCall(requestHash: requestHash) }
    }

    /// The cache entry for `requestHash` like `cachedCall(requestHash:)`, without a
    /// database read when the hash is not among the cached ones (`CallCacheFilter`: this
    /// store's own writes at once, other connections' within a quarter second). A
    /// successful call handed to the ledger (`enqueueCall`) answers at once, before its row
    /// is committed. Asked before every model call.
    public func cachedCallIfStored(requestHash: String) async throws -> LLMCallRecord? {
        if let unsettled = callQueue.unsettledCall(requestHash: requestHash) { return unsettled }
        guard try await callCache.mayContain(requestHash, pool: pool) else { return nil }
        return try await read { try $0.cachedCall(requestHash: requestHash) }
    }

    /// Appends one LLM call to the ledger; a successful one becomes its hash's cache entry.
    @discardableResult
    public func recordCall(_ call: LLMCallRecord) throws -> LLMCallRecord {
        try write { try $0.recordCall(call) }
    }

    /// Appends one LLM call to the ledger like `recordCall`, committed together with the
    /// calls other tasks hand in meanwhile (group commit: one write transaction for many
    /// concurrent calls). Returns once the row is committed; not cancellable, so a paid call
    /// is recorded even when its caller is being cancelled.
    @discardableResult
    public func recordCallBatched(_ call: LLMCallRecord) async throws -> LLMCallRecord {
        try await callQueue.record(call)
    }

    /// Hands one LLM call to the ledger like `recordCallBatched` and returns at once.
    ///
    /// The row is committed in the background with the calls handed in meanwhile, and in
    /// any case before every write of this store that starts after this returns: whatever
    /// is derived from the call's reply and stored later is committed after its ledger row.
    /// A row that cannot be stored makes every later write throw
    /// `StoreError.ledgerWriteFailed`. `whenCommitted` is told the outcome (with the row's
    /// id once committed); it runs while the store writes, so it must only hand work on.
    public func enqueueCall(
        _ call: LLMCallRecord, whenCommitted: (@Sendable (Result<LLMCallRecord, any Error>) -> Void)? = nil
    ) {
        callQueue.enqueue(call, done: whenCommitted)
    }

    /// Throws `StoreError.ledgerWriteFailed` once a ledger row handed to `enqueueCall` could
    /// not be stored (asked before paying for a call).
    public func checkLedger() throws {
        try callQueue.check()
    }

    /// Returns once every ledger row handed to `enqueueCall` before is committed; throws
    /// `StoreError.ledgerWriteFailed` when one could not be stored.
    public func flushLedger() async throws {
        let callQueue = callQueue
        try await pool.writeWithoutTransaction { try callQueue.commitPending($0) }
    }

    /// Stored health of every endpoint role, paused roles first.
    public func roleHealth() throws -> [RoleHealthRecord] {
        try read { try $0.roleHealth() }
    }

    /// Ledger totals grouped by role, stage and round.
    public func ledger() throws -> [LedgerRow] {
        try read { try $0.ledger() }
    }

    /// Appends an engine event.
    public func log(_ level: EventLevel, source: String, _ message: String, round: Int? = nil, stage: Stage? = nil) throws {
        try write { _ = try $0.log(level, source: source, message, round: round, stage: stage) }
    }

    /// Sets a control value (dashboard/CLI → engine).
    public func setControl(_ key: ControlKey, _ value: String?) throws {
        try write { try $0.setControl(key, value) }
    }

    /// The control value for `key`, if set.
    public func control(_ key: ControlKey) throws -> String? {
        try read { try $0.control(key) }
    }

    /// Counts for `tapir status` and the dashboard header.
    public func statusSummary() throws -> StatusSummary {
        try read { try $0.statusSummary() }
    }
}
