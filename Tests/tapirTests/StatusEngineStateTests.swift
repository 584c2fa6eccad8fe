import Foundation
import Testing
import TapirCore
import TapirStore

/// `tapir status --json` carries the engine's control state (pause reason, paused roles) the
/// text status prints, and neither form lets an escape sequence from stored text through.
@Suite("status engine state")
struct StatusEngineStateTests {
    private func workspace() throws -> (URL, WorkspaceStore) {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("tapir-status-\(UUID().uuidString)")
        let workspace = try Workspace.create(at: root)
        return (root, try workspace.openStore())
    }

    private func engine(_ root: URL) async throws -> [String: Any] {
        let run = try await TapirProcess.run(["status", "--json", "--workspace", root.path])
        #expect(run.status == 0, "\(run.stderr)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
        #expect(json["instructions"] as? Int == 0)  // the summary's keys stay at the top level
        return try #require(json["engine"] as? [String: Any], "\(run.stdout)")
    }

    @Test func jsonHasThePauseReasonAndPausedRoles() async throws {
        let (root, store) = try workspace()
        defer { try? FileManager.default.removeItem(at: root) }
        let running = try await engine(root)
        #expect(running["paused"] as? Bool == false && running["pauseReason"] == nil)
        #expect(running["pausedRoles"] as? [String] == [])

        let reason = "budget: run budget of $1.0000 reached ($1.0100 spent); raise budgets.run_usd in tapir.yaml"
        try store.setControl(.paused, reason)
        try await store.write { writer in
            _ = try writer.updateRoleHealth(RoleHealthRecord(
                role: .judge, state: .paused, reason: "3 consecutive requests failed", consecutiveFailures: 3,
                lastFailureAt: Date(), revision: 1))
        }
        let paused = try await engine(root)
        #expect(paused["paused"] as? Bool == true)
        #expect(paused["pauseReason"] as? String == reason)
        #expect(paused["pausedRoles"] as? [String] == ["judge"])
        let text = try await TapirProcess.run(["status", "--workspace", root.path])
        #expect(text.stdout.contains("Engine: paused: \(reason)"))

        // A plain pause by request.
        try store.setControl(.paused, "1")
        #expect(try await engine(root)["pauseReason"] as? String == "paused by request")
    }

    @Test func escapeSequencesInEventsAreStoredAndShownNeutralised() async throws {
        let (root, store) = try workspace()
        defer { try? FileManager.default.removeItem(at: root) }
        // As an endpoint's error reason would arrive in a stage's error event.
        let raw = "instruction 7: HTTP 500: \u{1b}[2J\u{1b}]0;owned\u{07}\u{1b}[31mboom\u{1b}[0m"
        try store.log(.error, source: "teach", raw, round: 1, stage: .teach)
        let events = try await store.read { try $0.events(minLevel: .error) }
        let stored = try #require(events.last)
        #expect(!stored.message.unicodeScalars.contains { $0.value == 0x1B || $0.value == 0x07 })
        #expect(stored.message.contains("boom") && stored.message.contains("␛[31m"), "\(stored.message)")

        let text = try await TapirProcess.run(["status", "--workspace", root.path])
        #expect(text.stdout.contains("boom") && !text.stdout.contains("\u{1b}"), "\(text.stdout)")
        let json = try await TapirProcess.run(["status", "--json", "--workspace", root.path])
        #expect(!json.stdout.contains("\u{1b}"))
    }
}
