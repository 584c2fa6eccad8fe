import Testing
import TerminalUI
@testable import TapirDashboard

@Suite struct DashboardRenderTests {
    func render(_ screen: Screen, width: Int = 80, height: Int = 24, _ setup: (inout DashboardState) -> Void = { _ in }) -> (CellBuffer, DashboardState) {
        var s = Fixtures.state()
        s.screen = screen
        setup(&s)
        let b = Dashboard.render(&s, width: width, height: height)
        return (b, s)
    }

    /// Every cell holds printable text only: no escape, control or bidi characters reach the terminal.
    func assertInert(_ b: CellBuffer) {
        for c in b.cells {
            for u in c.grapheme.unicodeScalars {
                #expect(u.value >= 0x20 && !(0x7F...0x9F).contains(u.value) && !(0x202A...0x202E).contains(u.value), "cell \(c.grapheme.debugDescription)")
            }
        }
    }

    @Test(arguments: [(80, 24), (120, 40)])
    func everyScreenRendersAtStandardSizes(_ width: Int, _ height: Int) {
        for screen in Screen.allCases {
            let (b, _) = render(screen, width: width, height: height)
            let text = b.plainText()
            let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
            #expect(lines.count == height)
            #expect(lines[0].hasPrefix(" 1 Rounds │ 2 Tasks │ 3 Scores │"))
            #expect(lines[height - 1].hasPrefix(" RUNNING "))
            #expect(lines.allSatisfy { DisplayWidth.of($0) <= width })
            assertInert(b)
        }
    }

    @Test func roundsScreenShowsRoundsStagesAndCost() {
        let (b, _) = render(.rounds, width: 100, height: 24)
        let text = b.plainText()
        #expect(text.contains("round     α     δ stage"))
        #expect(text.contains("    1  0.30  1.00 evaluate · done"))
        #expect(text.contains("41/180"))
        #expect(text.contains("Round 2 stages"))
        #expect(text.contains("45/180"))
        #expect(text.contains("12.5/min"))
        #expect(text.contains("ETA 10m48s"))
        #expect(text.contains("cost $1.65"))
        #expect(text.contains("demo · round 2 · cost $1.65 · ? help"))
    }

    @Test func tasksScreenShowsShareBarsWithTargetMarkers() {
        let (b, s) = render(.tasks, width: 120, height: 30)
        let text = b.plainText()
        #expect(text.contains("Category share · round 2"))
        #expect(text.contains("Code Generation"))
        #expect(text.contains("61.0%"))
        #expect(text.contains("65.0%"))
        let markers = b.cells.filter { $0.grapheme == "┃" && $0.style == s.effectiveTheme[.deltaLine] }
        #expect(markers.count == 3)
    }

    @Test func scoresScreenShowsDeltaLineAndHardCount() {
        let (b, s) = render(.scores, width: 80, height: 24) { st in
            _ = Fixtures.send(&st, Fixtures.keys("+ +"))
        }
        let text = b.plainText()
        #expect(text.contains("δ 1.50 → 5 of 7 hard"))
        #expect(text.contains("judge consistency across orders: 86%"))
        #expect(text.contains("█ teacher 7"))
        let deltaCells = b.cells.filter { $0.grapheme == "│" && $0.style == s.effectiveTheme[.deltaLine] }
        #expect(deltaCells.count >= 3)
    }

    @Test func hardQueueSortedByMFD() {
        let (b, _) = render(.hardQueue, width: 100, height: 12)
        let lines = b.plainText().split(separator: "\n").map(String.init)
        #expect(lines[1].contains("3 instructions"))
        #expect(lines[3].contains("Prove that √2 is irrational."))
        #expect(lines[4].contains("lock-free queue"))
        #expect(lines[5].contains("Integrate"))
    }

    @Test func reviewScreenShowsContextAndNeutralisesHostileText() {
        let (b, _) = render(.review, width: 120, height: 40) { st in
            _ = Fixtures.send(&st, Fixtures.keys("5 G"))
        }
        let text = b.plainText()
        #expect(text.contains("␛]52…Compute 2+2 ⟨RLO⟩evil"))
        #expect(text.contains("␛[2J␛[31mred"))
        #expect(!text.contains("ZXZpbA=="))
        assertInert(b)
        let (first, _) = render(.review, width: 120, height: 40)
        let t = first.plainText()
        #expect(t.contains("Parent (hard seed)"))
        #expect(t.contains("Because it is not a fraction."))
        #expect(t.contains("The student gives no proof."))
        #expect(t.contains("0.71  Prove that √2 is irrational."))
    }

    @Test func reviewMarkedRowsAndEditPrompt() {
        var s = Fixtures.state()
        Fixtures.send(&s, Fixtures.keys("5 space e"))
        let b = Dashboard.render(&s, width: 100, height: 30)
        let text = b.plainText()
        #expect(text.contains("1 marked"))
        #expect(text.contains("● "))
        #expect(text.contains("Edit #202"))
        #expect(text.contains("Write a lock-free stack in Rust."))
        #expect(b.cursor != nil)
    }

    @Test func samplesDetailPane() {
        var s = Fixtures.state()
        s.screen = .samples
        s.data.samples.detail = .init(
            id: 1, text: "What is 7 × 8?", input: "",
            responses: [.init(role: "teacher", round: 0, model: "gpt", text: "56"), .init(role: "student", round: 1, model: "smollm2", text: "54")],
            judgements: [.init(round: 1, teacher: 9, student: 2, mfd: 7, rationale: "student is wrong")],
            lineage: ["seed #1"])
        let text = Dashboard.render(&s, width: 120, height: 30).plainText()
        #expect(text.contains("teacher · round 0 · gpt"))
        #expect(text.contains("student · round 1 · smollm2"))
        #expect(text.contains("Judgement · round 1 · teacher 9.00 · student 2.00 · MFD 7.00"))
        #expect(text.contains("student is wrong"))
        #expect(text.contains("Lineage"))
    }

    @Test func logsScreenColoursLevels() {
        let (b, s) = render(.logs, width: 100, height: 12)
        let text = b.plainText()
        #expect(text.contains("round 2 started"))
        #expect(text.contains("exit code 1"))
        let theme = s.effectiveTheme
        let rows = text.split(separator: "\n", omittingEmptySubsequences: false)
        let warnRow = rows.firstIndex { $0.contains("unparseable") }!
        #expect(b[1 + 9, warnRow].style == theme[.warning])
    }

    @Test func commandLineAndErrorInStatusBar() {
        var s = Fixtures.state()
        Fixtures.send(&s, Fixtures.keys(":") + Fixtures.type("theme li"))
        var b = Dashboard.render(&s, width: 80, height: 24)
        #expect(b.plainText().split(separator: "\n").last == ":theme li")
        #expect(b.cursor == Point(x: 9, y: 23))
        s.overlay = nil
        s.error = "themes/bad.theme:3: unknown key `txt`"
        b = Dashboard.render(&s, width: 80, height: 24)
        #expect(b.plainText().split(separator: "\n").last!.contains("themes/bad.theme:3: unknown key `txt`"))
    }

    @Test func noColorRendersWithoutColours() {
        var s = Fixtures.state()
        s.colorDepth = .none
        let b = Dashboard.render(&s, width: 80, height: 24)
        #expect(b.cells.allSatisfy { $0.style.foreground == .default && $0.style.background == .default })
        #expect(b[1, 0].style.attributes.contains(.reverse))
    }

    @Test func confirmAndHelpOverlays() {
        var s = Fixtures.state()
        Fixtures.send(&s, Fixtures.keys("q"))
        #expect(Dashboard.render(&s, width: 80, height: 24).plainText().contains("[y] yes   [n] no"))
        Fixtures.send(&s, Fixtures.keys("n 3 ?"))
        let help = Dashboard.render(&s, width: 80, height: 40).plainText()
        #expect(help.contains("[scores]"))
        #expect(help.contains("+ / ="))
        #expect(help.contains("apply δ for the next round"))
    }

    @Test func tinyTerminalDoesNotCrash() {
        var s = Fixtures.state()
        for (w, h) in [(1, 1), (10, 3), (20, 6), (0, 0)] {
            let b = Dashboard.render(&s, width: w, height: h)
            #expect(b.width == w)
        }
    }
}
