import Foundation
import Testing
import TapirCore
import TapirStore
import TerminalUI
@testable import TapirDashboard

/// Failing and paused endpoint roles on the Rounds screen and the status bar, and `:resume`
/// clearing them, against a real workspace database.
@Suite struct RoleHealthDashboardTests {
    /// A seeded workspace with a paused teacher (its reason carries terminal escapes, as an
    /// endpoint's error text may) and a failing judge.
    func makeStore() throws -> WorkspaceStore {
        let store = try WorkspaceStore(path: NSTemporaryDirectory() + "dash-health-\(UUID().uuidString).sqlite")
        try DemoWorkspaceSeeder.seed(store, instructions: 30)
        let now = Date()
        try store.write { writer in
            try writer.updateRoleHealth(RoleHealthRecord(
                role: .teacher, state: .paused, reason: "the endpoint rejected the API key (HTTP 401)\u{1B}[31m\u{1B}]52;c;Zm9v\u{07}",
                lastError: "HTTP 401", consecutiveFailures: 3, lastFailureAt: now.addingTimeInterval(-125), revision: 4))
            try writer.updateRoleHealth(RoleHealthRecord(
                role: .judge, state: .failing, reason: "1 consecutive failure(s); last: timed out",
                consecutiveFailures: 1, lastFailureAt: now.addingTimeInterval(-5), revision: 2))
            try writer.updateRoleHealth(RoleHealthRecord(role: .student, state: .ok, revision: 1))
            try writer.setControl(.paused, "true")
        }
        return store
    }

    func controller(_ store: WorkspaceStore) -> DashboardController {
        let c = DashboardController(store: store, workspaceName: "test", state: DashboardState(),
                                    catalog: ThemeCatalog(directories: []), isEngineRunning: { true })
        c.reload()
        return c
    }

    func command(_ c: DashboardController, _ line: String) {
        _ = c.handle(.key(.char(":")))
        for ch in line { _ = c.handle(.key(.char(ch))) }
        _ = c.handle(.key(Key(spec: "enter")!))
    }

    @Test func theLoaderListsPausedThenFailingRolesWithSanitisedReasons() throws {
        let store = try makeStore()
        let data = try store.read { try DashboardLoader.load($0, query: DashboardQuery(screens: [.logs]), workspaceName: "w", engineRunning: true) }
        let roles = data.roleHealth.roles
        #expect(roles.map(\.name) == ["teacher", "judge"])
        #expect(roles.map(\.paused) == [true, false])
        #expect(roles[0].consecutiveFailures == 3)
        #expect(roles[0].reason.hasPrefix("the endpoint rejected the API key (HTTP 401)␛"))
        #expect(!roles[0].reason.unicodeScalars.contains { $0.value < 0x20 })
        #expect(abs((roles[0].lastFailureAge ?? 0) - 125) < 60)
        #expect(data.roleHealth.statusMarker == "teacher paused · judge failing")
    }

    @Test func roundsScreenAndStatusBarShowThePausedRole() throws {
        let c = controller(try makeStore())
        let buffer = c.render(width: 120, height: 40)
        let lines = buffer.plainText().split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(lines.contains { $0.contains("Endpoint roles need attention") })
        let teacher = try #require(lines.first { $0.contains("teacher") && $0.contains("PAUSED") })
        #expect(teacher.contains("3 failed, last 2m0") && teacher.contains("rejected the API key (HTTP 401)␛"))
        #expect(lines.contains { $0.contains("judge") && $0.contains("failing") && $0.contains("timed out") })
        #expect(lines.contains { $0.contains("then :resume") })
        #expect(lines.last?.contains("teacher paused · judge failing") == true)
        for cell in buffer.cells {
            #expect(!cell.grapheme.unicodeScalars.contains { $0.value < 0x20 || (0x7F...0x9F).contains($0.value) })
        }
        // 80×24 still fits the rounds table, stages, the roles and the charts' titles.
        let small = c.render(width: 80, height: 24).plainText()
        #expect(small.contains("teacher") && small.contains("win rate per round"))
        // Cramped terminals clip the section instead of failing.
        for (width, height) in [(20, 6), (40, 10), (60, 14)] {
            let lines = c.render(width: width, height: height).plainText().split(separator: "\n", omittingEmptySubsequences: false)
            #expect(lines.count == height)
        }
    }

    @Test func resumeClearsPausedRolesInTheDatabase() throws {
        let store = try makeStore()
        let c = controller(store)
        command(c, "resume")
        #expect(c.state.error == nil)
        #expect(try store.control(.paused) == nil)
        let stored = try store.roleHealth()
        #expect(stored.count == 3)
        #expect(stored.allSatisfy { $0.state == .ok && $0.consecutiveFailures == 0 && $0.reason == nil })
        #expect(c.state.data.roleHealth.roles.isEmpty)
        #expect(c.state.message == "engine resumed; roles resumed: teacher")
        #expect(try store.read { try $0.latestEvents(limit: 1) }.first?.message == "resume requested; paused roles resumed: teacher")
        let status = c.render(width: 120, height: 40).plainText().split(separator: "\n").last.map(String.init) ?? ""
        #expect(!status.contains("paused ·") && !status.contains("failing"))
        // A later reload reads the cleared rows.
        c.reload()
        #expect(c.state.data.roleHealth.roles.isEmpty)
    }

    @Test func resumeInTheUpdateClearsTheShownRolesAndAsksForTheResumeEffect() {
        var s = Fixtures.state()
        s.data.paused = true
        s.data.roleHealth = RoleHealthViewModel(roles: [
            .init(name: "teacher", paused: true, consecutiveFailures: 3, reason: "HTTP 401"),
            .init(name: "judge", paused: false, consecutiveFailures: 1, reason: "timed out"),
        ])
        #expect(Fixtures.send(&s, Fixtures.keys("p")) == [.resume])
        #expect(!s.data.paused && s.data.roleHealth.roles.isEmpty)
        #expect(s.message == "engine resumed; roles resumed: teacher")
        #expect(Fixtures.send(&s, Fixtures.keys("p")) == [.setPaused(true)])
    }

    @Test func pauseLeavesRoleHealthAlone() throws {
        let store = try makeStore()
        try store.setControl(.paused, nil)
        let c = controller(store)
        command(c, "pause")
        #expect(try store.control(.paused) == "true")
        #expect(try store.roleHealth().first?.state == .paused)
        #expect(c.state.data.roleHealth.statusMarker == "teacher paused · judge failing")
    }
}
