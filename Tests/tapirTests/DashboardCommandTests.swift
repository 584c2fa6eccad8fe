import Foundation
import Testing
import TapirStore

/// `tapir dashboard` outside a terminal, and its options. (The terminal itself is tested by
/// scripts/tui-smoke.sh in tmux.)
@Suite("tapir dashboard command")
struct DashboardCommandTests {
    @Test func refusesWithoutATerminalBeforeStartingAnEngine() async throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("tapir-dash-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        let workspace = try Workspace.create(at: root)
        let run = try await TapirProcess.run(["dashboard", "--workspace", root.path])
        #expect(run.status == 1)
        #expect(run.stderr.contains("not a terminal"))
        // No engine ran: nothing logged, and the engine lock is free.
        let store = try workspace.openStore()
        let events = try await store.read { try $0.latestEvents(limit: 10) }
        #expect(events.isEmpty)
        let lock = try workspace.acquireEngineLock()
        lock.release()
    }

    @Test func helpNamesTheAttachOnlyFlag() async throws {
        let run = try await TapirProcess.run(["dashboard", "--help"])
        #expect(run.status == 0)
        #expect(run.stdout.contains("--attach-only"))
        #expect(run.stdout.contains("--no-engine"))
    }
}
