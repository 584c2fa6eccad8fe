import Foundation
import Testing
import TapirCore
import TapirStore
import TerminalUI
@testable import TapirDashboard

/// The dashboard against a real workspace database seeded with a small history.
@Suite struct DashboardStoreTests {
    func makeStore() throws -> WorkspaceStore {
        let path = NSTemporaryDirectory() + "dash-\(UUID().uuidString).sqlite"
        let store = try WorkspaceStore(path: path)
        try DemoWorkspaceSeeder.seed(store, instructions: 30)
        return store
    }

    func controller(_ store: WorkspaceStore, running: Bool = true) -> DashboardController {
        let c = DashboardController(store: store, workspaceName: "test", state: DashboardState(),
                                    catalog: ThemeCatalog(directories: []), isEngineRunning: { running })
        c.query.screens = nil  // these tests look at every screen's data
        c.reload()
        return c
    }

    func send(_ c: DashboardController, _ spec: String) {
        for k in spec.split(separator: " ") { _ = c.handle(.key(Key(spec: String(k))!)); _ = c.render(width: 120, height: 40) }
    }

    func type(_ c: DashboardController, _ text: String) {
        for ch in text { _ = c.handle(.key(.char(ch))) }
    }

    @Test func loaderFillsEveryScreen() throws {
        let store = try makeStore()
        let data = try store.read { try DashboardLoader.load($0, query: DashboardQuery(), workspaceName: "w", engineRunning: true) }
        #expect(data.rounds.rows.map(\.number) == [1, 2])
        #expect(data.rounds.currentRound == 2)
        #expect(data.rounds.stages.map(\.stage) == ["answer", "judge"])
        #expect(data.rounds.stages[1].done == 10 && data.rounds.stages[1].total == 30)
        #expect(data.tasks.categories.count == 5)
        #expect(abs(data.tasks.categories.map(\.actual).reduce(0, +) - 1) < 1e-9)
        #expect(data.scores.round == 2 && data.scores.mfd.count == 10)
        #expect(data.hardQueue.items.map(\.mfd) == data.hardQueue.items.map(\.mfd).sorted(by: >))
        #expect(data.hardQueue.items.allSatisfy { $0.mfd > 1.0 })
        #expect(data.review.items.count == 4)
        #expect(data.review.items[0].studentAnswer.contains("Student attempt"))
        #expect(data.review.items[0].nearest.first?.similarity == 0.42)
        #expect(data.samples.total == 34)
        #expect(data.logs.lines.count == 6)
        #expect(!data.paused)
    }

    @Test func detailHasResponsesJudgementsAndLineage() throws {
        let store = try makeStore()
        let c = controller(store)
        let expansionID = c.state.data.review.items[0].id
        let detail = try #require(try store.read { try DashboardLoader.detail($0, id: expansionID) })
        #expect(detail.lineage.count == 2)
        #expect(detail.lineage[0].hasPrefix("dataset #"))
        #expect(detail.lineage[1].hasPrefix("expansion #\(expansionID)"))
        let seed = try #require(try store.read { try DashboardLoader.detail($0, id: 1) })
        #expect(seed.responses.map(\.role).contains("teacher"))
        #expect(seed.judgements.map(\.round) == [1, 2])
        #expect(seed.lineage.count == 4)
        #expect(seed.lineage[1].hasPrefix("round 1: "))
        #expect(seed.lineage[2].hasPrefix("round 2: "))
        #expect(seed.lineage[3] == "round 1 training set")
    }

    @Test func approveRejectAndEditReachTheDatabase() throws {
        let store = try makeStore()
        let c = controller(store)
        let ids = c.state.data.review.items.map(\.id)
        send(c, "5 a")
        #expect(try store.read { try $0.expansion(instructionID: ids[0]) }?.state == .approved)
        #expect(try store.read { try $0.instruction(id: ids[0]) }?.state == .active)
        #expect(c.state.data.review.items.count == 3)
        send(c, "r")
        type(c, "off topic")
        send(c, "enter")
        let rejected = try #require(try store.read { try $0.expansion(instructionID: ids[1]) })
        #expect(rejected.state == .rejected)
        #expect(rejected.reviewerNote == "off topic")
        send(c, "e ctrl-u")
        type(c, "An edited instruction about primes")
        send(c, "enter")
        #expect(try store.read { try $0.expansion(instructionID: ids[2]) }?.state == .edited)
        #expect(try store.read { try $0.instruction(id: ids[2]) }?.text == "An edited instruction about primes")
        #expect(c.state.data.review.items.map(\.id) == [ids[3]])
        #expect(c.state.data.review.approvedCount == 2 && c.state.data.review.rejectedCount == 1)
    }

    @Test func pauseResumeAndDeltaGoThroughTheControlTable() throws {
        let store = try makeStore()
        let c = controller(store)
        send(c, ":")
        type(c, "pause")
        send(c, "enter")
        #expect(try store.control(.paused) == "true")
        send(c, ":")
        type(c, "resume")
        send(c, "enter")
        #expect(try store.control(.paused) == nil)
        send(c, "3 + enter")
        #expect(try store.control(.deltaNext) == "1.25")
        c.reload()
        #expect(c.state.data.scores.nextDelta == 1.25)
    }

    @Test func roundCommandSwitchesTheShownRound() throws {
        let store = try makeStore()
        let c = controller(store)
        send(c, ":")
        type(c, "round 1")
        send(c, "enter")
        #expect(c.state.data.scores.round == 1)
        #expect(c.state.data.scores.mfd.count == 30)
        send(c, ":")
        type(c, "round 9")
        send(c, "enter")
        #expect(c.state.error == "round 9 does not exist yet")
    }

    @Test func themeCommandLoadsOrReportsBrokenFiles() throws {
        let dir = NSTemporaryDirectory() + "themes-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        try "name = mine\ntext = red on black\n".write(toFile: dir + "/mine.theme", atomically: true, encoding: .utf8)
        try "text = red\nbogus = 1\n".write(toFile: dir + "/broken.theme", atomically: true, encoding: .utf8)
        let c = DashboardController(store: try makeStore(), workspaceName: "t", state: DashboardState(),
                                    catalog: ThemeCatalog(directories: [dir]), isEngineRunning: { false })
        send(c, ":")
        type(c, "theme mine")
        send(c, "enter")
        #expect(c.state.theme.name == "mine")
        #expect(c.state.effectiveTheme[.text] == Style(foreground: .red, background: .black))
        send(c, ":")
        type(c, "theme broken")
        send(c, "enter")
        #expect(c.state.theme.name == "mine")
        #expect(c.state.error?.contains("broken.theme:2: unknown key `bogus`") == true)
        let status = c.render(width: 100, height: 24).plainText().split(separator: "\n").last ?? ""
        #expect(status.contains("broken.theme:2"))
    }

    @Test func samplesSearchQueriesTheStoreAndEscClears() throws {
        let store = try makeStore()
        let c = controller(store)
        send(c, "6 /")
        type(c, "example")
        send(c, "enter")
        #expect(c.state.data.samples.rows.allSatisfy { $0.text.contains("example") })
        #expect(c.state.data.samples.total == 7)
        send(c, "esc")
        #expect(c.state.data.samples.total == 34)
    }

    @Test func liveChangesFromAnotherWriterShowAfterATick() throws {
        let store = try makeStore()
        let c = controller(store)
        #expect(c.state.data.logs.lines.count == 6)
        let other = try WorkspaceStore(path: store.path)
        try other.log(.info, source: "engine", "judge 11/30")
        try other.write { try $0.updateProgress(round: 2, stage: .judge, done: 11, total: 30) }
        _ = c.handle(.tick)
        #expect(c.state.data.logs.lines.last?.message == "judge 11/30")
        #expect(c.state.data.rounds.stages[1].done == 11)
        send(c, "7")
        #expect(c.render(width: 100, height: 30).plainText().contains("judge 11/30"))
    }

    @Test func backgroundReloadArrivesThroughWake() throws {
        let store = try makeStore()
        let c = controller(store)
        let loaded = DispatchSemaphore(value: 0)
        c.wakeUI = { loaded.signal() }
        try store.log(.warning, source: "engine", "written by the engine")
        _ = c.handle(.tick)
        #expect(c.state.data.logs.lines.count == 6)  // not yet installed: input is never blocked by a load
        #expect(loaded.wait(timeout: .now() + 10) == .success)
        _ = c.handle(.wake)
        #expect(c.state.data.logs.lines.last?.message == "written by the engine")
    }

    @Test func samplesLoadMoreRowsNearTheEnd() throws {
        let store = try makeStore()
        let c = controller(store)
        c.query.sampleLimit = 10
        c.reload()
        #expect(c.state.data.samples.rows.count == 10)
        send(c, "6 G")
        #expect(c.state.data.samples.rows.count == 34)
        #expect(c.state.data.samples.total == 34)
    }

    @Test func onlyTheVisibleScreensDataIsLoaded() throws {
        let c = DashboardController(store: try makeStore(), workspaceName: "t", state: DashboardState(),
                                    catalog: ThemeCatalog(directories: []), isEngineRunning: { false })
        c.reload()
        #expect(c.state.data.rounds.rows.count == 2)
        #expect(c.state.data.samples.rows.isEmpty && c.state.data.review.items.isEmpty)
        send(c, "6")
        #expect(c.state.data.samples.total == 34)
        send(c, "5")
        #expect(c.state.data.review.items.count == 4)
        #expect(c.query.screens == [.review])
    }

    @Test func fastMovesDeferTheDetailToTheNextTick() throws {
        let c = controller(try makeStore())
        send(c, "6")
        _ = c.handle(.key(.char("j")))
        _ = c.handle(.key(.char("j")))  // within 50 ms: detail deferred
        #expect(c.state.selectedSample?.id == 3)
        #expect(c.state.data.samples.detail?.id != 3)
        _ = c.handle(.tick)
        #expect(c.state.data.samples.detail?.id == 3)
    }

    @Test func hostileSeedTextRendersInert() throws {
        let c = controller(try makeStore())
        send(c, "6")
        for _ in 0..<10 {
            let b = c.render(width: 120, height: 40)
            for cell in b.cells {
                #expect(cell.grapheme.unicodeScalars.allSatisfy { $0.value >= 0x20 && !(0x7F...0x9F).contains($0.value) && $0.value != 0x202E })
            }
            send(c, "j")
        }
    }
}
