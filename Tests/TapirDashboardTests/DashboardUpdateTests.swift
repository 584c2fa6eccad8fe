import Testing
import TerminalUI
@testable import TapirDashboard

@Suite struct DashboardUpdateTests {
    @Test func standardKeymapHasNoConflictsAndCoversEveryScreen() {
        let map = DashboardKeymap.standard
        #expect(map.conflicts().isEmpty, "\(map.conflicts())")
        for s in Screen.allCases {
            #expect(map.action(for: .char(Character(String(s.rawValue))), scope: s.scope) == "screen-\(s.rawValue)")
        }
        let md = map.markdownReference()
        #expect(md.contains("| `a` | approve |"))
        #expect(md.contains("### scores"))
    }

    @Test func numberKeysAndTabSwitchScreens() {
        var s = Fixtures.state()
        Fixtures.send(&s, Fixtures.keys("3"))
        #expect(s.screen == .scores)
        Fixtures.send(&s, Fixtures.keys("tab tab tab tab"))
        #expect(s.screen == .logs)
        Fixtures.send(&s, Fixtures.keys("tab"))
        #expect(s.screen == .rounds)
        Fixtures.send(&s, Fixtures.keys("shift-tab"))
        #expect(s.screen == .logs)
    }

    @Test func commandLineTheme_Round_Pause_Resume_Quit() {
        var s = Fixtures.state()
        #expect(Fixtures.send(&s, Fixtures.keys(":") + Fixtures.type("theme light") + Fixtures.keys("enter")) == [.loadTheme("light")])
        #expect(s.overlay == nil)
        #expect(Fixtures.send(&s, Fixtures.keys(":") + Fixtures.type("round 2") + Fixtures.keys("enter")) == [.showRound(2)])
        #expect(Fixtures.send(&s, Fixtures.keys(":") + Fixtures.type("pause") + Fixtures.keys("enter")) == [.setPaused(true)])
        #expect(s.data.paused)
        #expect(Fixtures.send(&s, Fixtures.keys(":") + Fixtures.type("resume") + Fixtures.keys("enter")) == [.resume])
        #expect(Fixtures.send(&s, Fixtures.keys(":") + Fixtures.type("round x") + Fixtures.keys("enter")).isEmpty)
        #expect(s.error?.contains(":round needs a round number") == true)
        #expect(Fixtures.send(&s, Fixtures.keys(":") + Fixtures.type("fly") + Fixtures.keys("enter")).isEmpty)
        #expect(s.error?.contains("unknown command `:fly`") == true)
        #expect(Fixtures.send(&s, Fixtures.keys(":") + Fixtures.type("quit") + Fixtures.keys("enter")) == [.quit])
        #expect(s.quitting)
    }

    @Test func commandLineEditingAndEscape() {
        var s = Fixtures.state()
        let effects = Fixtures.send(&s, Fixtures.keys(":") + Fixtures.type("themx") + Fixtures.keys("backspace") + Fixtures.type("e dark") + Fixtures.keys("enter"))
        #expect(effects == [.loadTheme("dark")])
        Fixtures.send(&s, Fixtures.keys(":") + Fixtures.type("pause") + Fixtures.keys("esc"))
        #expect(s.overlay == nil && !s.data.paused)
    }

    @Test func quitAsksWhileEngineRuns() {
        var s = Fixtures.state()
        #expect(Fixtures.send(&s, Fixtures.keys("q")).isEmpty)
        #expect(s.overlay == .confirmQuit)
        #expect(Fixtures.send(&s, Fixtures.keys("n")).isEmpty)
        #expect(s.overlay == nil && !s.quitting)
        #expect(Fixtures.send(&s, Fixtures.keys("q y")) == [.quit])
        var idle = Fixtures.state()
        idle.data.engineRunning = false
        #expect(Fixtures.send(&idle, Fixtures.keys("q")) == [.quit])
    }

    @Test func helpOverlayOpensAndCloses() {
        var s = Fixtures.state()
        Fixtures.send(&s, Fixtures.keys("5 ?"))
        #expect(s.overlay == .help(offset: 0))
        Fixtures.send(&s, Fixtures.keys("j"))
        #expect(s.overlay == .help(offset: 1))
        Fixtures.send(&s, Fixtures.keys("esc"))
        #expect(s.overlay == nil)
        #expect(s.screen == .review)
    }

    @Test func movementKeysClampAndPage() {
        var s = Fixtures.state()
        Fixtures.send(&s, Fixtures.keys("6 j j j j"))
        #expect(s.list(.samples).selected == 2)
        Fixtures.send(&s, Fixtures.keys("g"))
        #expect(s.list(.samples).selected == 0)
        Fixtures.send(&s, Fixtures.keys("G"))
        #expect(s.list(.samples).selected == 2)
        Fixtures.send(&s, Fixtures.keys("ctrl-u"))
        #expect(s.list(.samples).selected == 0)
    }

    @Test func deltaAdjustShowsHardCountAndEnterApplies() {
        var s = Fixtures.state()
        Fixtures.send(&s, Fixtures.keys("3 + + + +"))
        #expect(s.shownDelta == 2.0)
        // MFD values 5,2,2,2,0,6,1: > 2.0 leaves 5 and 6.
        #expect(s.message?.contains("→ 2 hard") == true)
        #expect(Fixtures.send(&s, Fixtures.keys("enter")) == [.setNextDelta(2.0)])
        #expect(s.data.scores.nextDelta == 2.0)
        Fixtures.send(&s, Fixtures.keys("- - - - - - - - - -"))
        #expect(s.shownDelta == 0)
    }

    @Test func reviewApproveRejectEditAndBulk() {
        var s = Fixtures.state()
        Fixtures.send(&s, Fixtures.keys("5"))
        #expect(Fixtures.send(&s, Fixtures.keys("a")) == [.approve([201])])
        let reject = Fixtures.send(&s, Fixtures.keys("j r") + Fixtures.type("duplicate") + Fixtures.keys("enter"))
        #expect(reject == [.reject([202], reason: "duplicate")])
        let edit = Fixtures.send(&s, Fixtures.keys("e ctrl-u") + Fixtures.type("Write a lock-free stack in Swift.") + Fixtures.keys("enter"))
        #expect(edit == [.edit(202, text: "Write a lock-free stack in Swift.")])
        Fixtures.send(&s, Fixtures.keys("g space space"))
        #expect(s.marked == [201, 202])
        #expect(Fixtures.send(&s, Fixtures.keys("a")) == [.approve([201, 202])])
        #expect(s.marked.isEmpty)
        Fixtures.send(&s, Fixtures.keys("A"))
        #expect(s.marked.count == 3)
        #expect(Fixtures.send(&s, Fixtures.keys("r enter")) == [.reject([201, 202, 203], reason: "rejected in review")])
        #expect(Fixtures.send(&s, Fixtures.keys("e ctrl-u enter")).isEmpty)
        #expect(s.error?.contains("cannot be empty") == true)
    }

    @Test func samplesSearchJumpsBetweenMatches() {
        var s = Fixtures.state()
        let effects = Fixtures.send(&s, Fixtures.keys("6 /") + Fixtures.type("what") + Fixtures.keys("enter"))
        #expect(effects.contains(.search("what")))
        #expect(s.searchQuery == "what")
        let next = Fixtures.send(&s, Fixtures.keys("n"))
        #expect(s.list(.samples).selected == 2)
        #expect(next == [.loadDetail(3)])
        Fixtures.send(&s, Fixtures.keys("n"))
        #expect(s.list(.samples).selected == 0)
        Fixtures.send(&s, Fixtures.keys("N"))
        #expect(s.list(.samples).selected == 2)
    }

    @Test func hardQueueCategoryFilterCycles() {
        var s = Fixtures.state()
        Fixtures.send(&s, Fixtures.keys("4 c"))
        #expect(s.hardCategory == "Code Generation")
        Fixtures.send(&s, Fixtures.keys("c"))
        #expect(s.hardCategory == "Math")
        #expect(s.visibleHardItems.map(\.id) == [11, 13])
        Fixtures.send(&s, Fixtures.keys("esc"))
        #expect(s.hardCategory == nil)
    }

    @Test func logsLevelFilterAndFollow() {
        var s = Fixtures.state()
        Dashboard.replaceData(&s, Fixtures.data)
        #expect(s.list(.logs).selected == 3)
        Fixtures.send(&s, Fixtures.keys("7 l l"))
        #expect(s.logMinimum == .warning)
        #expect(s.visibleLogLines.count == 2)
        Fixtures.send(&s, Fixtures.keys("k"))
        #expect(!s.followLogs)
        Fixtures.send(&s, Fixtures.keys("f"))
        #expect(s.followLogs)
    }

    @Test func tickRefreshesAndTerminateQuits() {
        var s = Fixtures.state()
        #expect(Dashboard.update(&s, .tick) == [.refresh])
        #expect(Dashboard.update(&s, .terminate) == [.quit])
        #expect(s.quitting)
    }

    @Test func mouseClickOnTabAndWheel() {
        var s = Fixtures.state()
        // " 1 Rounds " (10) + "│" → tab 2 starts at column 11.
        _ = Dashboard.update(&s, .mouse(MouseEvent(kind: .press(button: 1), x: 12, y: 0)))
        #expect(s.screen == .tasks)
        Fixtures.send(&s, Fixtures.keys("6"))
        _ = Dashboard.update(&s, .mouse(MouseEvent(kind: .wheelDown, x: 5, y: 5)))
        #expect(s.list(.samples).selected == 2)
    }

    @Test func mouseClickSelectsTheRowDrawnUnderIt() {
        var s = Fixtures.state()
        Fixtures.send(&s, Fixtures.keys("6"))
        _ = Dashboard.render(&s, width: 120, height: 40)
        // Tab bar row 0, title row 1, table header row 2: the third sample is on row 5.
        #expect(s.listRows == Rect(x: 1, y: 3, width: s.listRows?.width ?? 0, height: 36))
        let effects = Dashboard.update(&s, .mouse(MouseEvent(kind: .press(button: 1), x: 4, y: 5)))
        #expect(s.list(.samples).selected == 2)
        #expect(effects == [.loadDetail(3)])
        // Below the last row, on the header and in the detail pane nothing changes.
        _ = Dashboard.update(&s, .mouse(MouseEvent(kind: .press(button: 1), x: 4, y: 9)))
        _ = Dashboard.update(&s, .mouse(MouseEvent(kind: .press(button: 1), x: 4, y: 2)))
        _ = Dashboard.update(&s, .mouse(MouseEvent(kind: .press(button: 1), x: 100, y: 3)))
        #expect(s.list(.samples).selected == 2)
        _ = Dashboard.update(&s, .mouse(MouseEvent(kind: .press(button: 1), x: 4, y: 3)))
        #expect(s.list(.samples).selected == 0)
        // The Logs screen lists from row 2 (no table header); the Scores screen has no list.
        Fixtures.send(&s, Fixtures.keys("7"))
        _ = Dashboard.render(&s, width: 120, height: 40)
        _ = Dashboard.update(&s, .mouse(MouseEvent(kind: .press(button: 1), x: 10, y: 3)))
        #expect(s.list(.logs).selected == 1)
        #expect(!s.followLogs)
        Fixtures.send(&s, Fixtures.keys("3"))
        _ = Dashboard.render(&s, width: 120, height: 40)
        #expect(s.listRows == nil)
        #expect(Dashboard.update(&s, .mouse(MouseEvent(kind: .press(button: 1), x: 10, y: 10))) == [])
    }

    @Test func wheelIgnoredUnderAnOverlay() {
        var s = Fixtures.state()
        Fixtures.send(&s, Fixtures.keys("6 ?"))
        _ = Dashboard.update(&s, .mouse(MouseEvent(kind: .wheelDown, x: 5, y: 5)))
        #expect(s.list(.samples).selected == 0)
    }

    @Test func statusBarNamesWhereTheEngineRuns() {
        var s = Fixtures.state()
        s.data.engine = EngineStatus(host: .thisProcess, waiting: true, note: "engine waits: approvals")
        var text = Dashboard.render(&s, width: 120, height: 40).plainText()
        var status = text.split(separator: "\n").last.map(String.init) ?? ""
        #expect(status.contains("WAITING"))
        #expect(status.contains("engine waits: approvals"))
        #expect(status.hasSuffix("? help"))
        Fixtures.send(&s, Fixtures.keys("q"))
        text = Dashboard.render(&s, width: 120, height: 40).plainText()
        #expect(text.contains("Quitting stops the engine after the item in flight."))
        s = Fixtures.state()
        s.data.engine = EngineStatus(host: .otherProcess, note: "attached to engine pid 42")
        status = Dashboard.render(&s, width: 120, height: 40).plainText().split(separator: "\n").last.map(String.init) ?? ""
        #expect(status.contains("RUNNING"))
        #expect(status.contains("attached to engine pid 42"))
        s.data.engine = .idle
        status = Dashboard.render(&s, width: 120, height: 40).plainText().split(separator: "\n").last.map(String.init) ?? ""
        #expect(status.contains("IDLE"))
    }
}
