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

    /// Runs `body` in one write transaction (rolled back when it throws).
    public func write<T>(_ body: (StoreWriter) throws -> T) throws -> T {
        try pool.write { try body(StoreWriter(db: $0, callCache: callCache)) }
    }

    /// Async variant of `read`, off the caller's thread.
    public func read<T: Sendable>(_ body: @escaping @Sendable (StoreReader) throws -> T) async throws -> T {
        try await pool.read { try body(StoreReader(db: $0)) }
    }

    /// Async variant of `write`, off the caller's thread.
    public func write<T: Sendable>(_ body: @escaping @Sendable (StoreWriter) throws -> T) async throws -> T {
        let callCache = callCache
        return try await pool.write { try body(StoreWriter(db: $0, callCache: callCache)) }
    }

    // MARK: - Shortcuts

    /// The latest successful stored reply for `requestHash`, if any (the LLM reply cache).
    public func cachedCall(requestHash: String) throws -> LLMCallRecord? {
        try read { try $0.cachedCall(requestHash: requestHash) }
    }

    /// The cache entry for `requestHash` like `cachedCall(requestHash:)`, without a
    /// database read when the hash is not among the cached ones (`CallCacheFilter`: this
    /// store's own writes at once, other connections' within a quarter second). Asked
    /// before every model call.
    public func cachedCallIfStored(requestHash: String) async throws -> LLMCallRecord? {
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
