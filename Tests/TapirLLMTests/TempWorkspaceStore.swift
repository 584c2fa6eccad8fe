import Foundation
import TapirStore

/// A real workspace database (`tapir.sqlite`) in a fresh temp folder, removed on deinit.
final class TempWorkspaceStore: @unchecked Sendable {
    let folder: URL
    let store: WorkspaceStore

    var databasePath: String { folder.appendingPathComponent("tapir.sqlite").path }

    init() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("tapir-llm-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        store = try WorkspaceStore(path: folder.appendingPathComponent("tapir.sqlite").path)
    }

    /// A second connection to the same file, as another process or a restarted engine opens it.
    func reopen() throws -> WorkspaceStore { try WorkspaceStore(path: databasePath) }

    /// Commits the ledger rows still pending (every write of the store does that first).
    func flush() throws { try store.write { _ in } }

    /// Every ledger row, oldest first (pending ones committed first).
    func calls() throws -> [LLMCallRecord] {
        try flush()
        return try store.read { try $0.recentCalls(limit: 10_000) }.reversed()
    }

    /// Ledger totals (pending rows committed first).
    func ledger() throws -> [LedgerRow] {
        try flush()
        return try store.ledger()
    }

    deinit { try? FileManager.default.removeItem(at: folder) }
}
