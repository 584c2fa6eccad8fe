import Testing
@testable import TerminalUI

/// Snapshot-style widget tests: render into a buffer, compare the plain text.
@Suite struct WidgetTests {
    let theme = Theme.builtinDefault

    func render(_ w: Int, _ h: Int, _ draw: (inout CellBuffer) -> Void) -> CellBuffer {
        var b = CellBuffer(width: w, height: h)
        draw(&b)
        return b
    }

    @Test func tableHeaderRowsSelectionAndSortMarker() {
        var state = ScrollState(selected: 1)
        let table = Table(
            columns: [TableColumn("name", width: .fixed(6)), TableColumn("score", width: .fixed(5), alignment: .right)],
            rows: [["alpha", "7.5"], ["beta", "10"], ["gamma", "2"]],
            sort: TableSort(column: 1, ascending: false))
        #expect(table.displayOrder() == [1, 0, 2])
        let b = render(12, 4) { table.render(into: &$0, rect: $0.bounds, state: &state, theme: theme) }
        #expect(b.plainText() == """
        name   scor▼
        beta      10
        alpha    7.5
        gamma      2
        """)
        #expect(b[0, 2].style == theme[.selection])
        #expect(b[0, 1].style == theme[.text])
        #expect(b[0, 0].style == theme[.header])
    }

    @Test func tableScrollsToKeepSelectionVisible() {
        var state = ScrollState(selected: 0)
        let rows = (1...10).map { ["row \($0)"] }
        let table = Table(columns: [TableColumn("r")], rows: rows)
        state.move(7, count: rows.count, visible: 3)
        let b = render(8, 4) { table.render(into: &$0, rect: $0.bounds, state: &state, theme: theme) }
        #expect(state.offset == 5)
        #expect(b.plainText() == "r\nrow 6\nrow 7\nrow 8")
        #expect(b[0, 3].style == theme[.selection])
    }

    @Test func tableCellsWithHostileTextStayInTheirColumn() {
        var state = ScrollState()
        let table = Table(columns: [TableColumn("a", width: .fixed(5)), TableColumn("b", width: .fixed(3))],
                          rows: [["\u{1B}[2J字字字", "ok"]])
        let b = render(9, 2) { table.render(into: &$0, rect: $0.bounds, state: &state, theme: theme) }
        #expect(b.rowText(1).hasSuffix(" ok "))
        #expect(b.rowText(1).hasPrefix("␛[2J…"))
    }

    @Test func lazyTableFormatsOnlyVisibleRows() {
        let built = Counter()
        var state = ScrollState()
        state.move(500, count: 100_000, visible: 3)
        let table = Table(columns: [TableColumn("n")], rowCount: 100_000) { i in
            built.increment()
            return ["row \(i)"]
        }
        let b = render(10, 4) { table.render(into: &$0, rect: $0.bounds, state: &state, theme: theme) }
        #expect(b.plainText() == "n\nrow 498\nrow 499\nrow 500")
        #expect(built.value == 3)
    }

    @Test func tableCutsSanitisedPlaceholdersWithEllipsis() {
        var state = ScrollState()
        let table = Table(columns: [TableColumn("a", width: .fixed(12))], rows: [["invoice\u{202E}fdp.exe"]])
        let b = render(12, 2) { table.render(into: &$0, rect: $0.bounds, state: &state, theme: theme) }
        #expect(b.rowText(1) == "invoice⟨RLO…")
    }

    @Test func horizontalBarChartWithMarker() {
        let chart = BarChart(bars: [Bar(label: "code", value: 10, marker: 5), Bar(label: "math", value: 5)], maxValue: 10)
        let b = render(20, 2) { chart.render(into: &$0, rect: $0.bounds, theme: theme) }
        #expect(b.plainText() == """
        code ██████┃█████ 10
        math ██████        5
        """)
        #expect(b[11, 0].style == theme[.deltaLine])
    }

    @Test func horizontalBarUsesEighthBlocks() {
        let chart = BarChart(bars: [Bar(label: "x", value: 1.5)], maxValue: 8)
        let b = render(12, 1) { chart.render(into: &$0, rect: $0.bounds, theme: theme) }
        // bar width 12 - 1 - 3 - 2 = 6 cells; 1.5/8 * 48 eighths = 9 → one full block + ▏
        #expect(b.rowText(0).hasPrefix("x █▏"))
    }

    @Test func verticalBarChart() {
        let chart = BarChart(bars: [Bar(label: "a", value: 4), Bar(label: "b", value: 2)], orientation: .vertical, maxValue: 4)
        let b = render(4, 3) { chart.render(into: &$0, rect: $0.bounds, theme: theme) }
        #expect(b.plainText() == "█\n█ █\na b")
    }

    @Test func histogramWithDeltaMarker() {
        let h = Histogram(
            series: [HistogramSeries(name: "mfd", counts: [1, 2, 4, 2], style: theme[.histogramStudent])],
            range: 0...4, marker: 2.5)
        let b = render(8, 5) { h.render(into: &$0, rect: $0.bounds, theme: theme) }
        #expect(b.plainText() == """
            █│
            █│
          ███│██
        █████│██
        ─────┴──
        """)
        #expect(b[5, 4].style == theme[.deltaLine])
        #expect(b[4, 0].style == theme[.histogramStudent])
        #expect(b[5, 0].grapheme == "│")
        #expect(Histogram.bin([0, 0.5, 1.2, 3.9, 9], bins: 4, range: 0...4) == [2, 1, 0, 2])
    }

    @Test func histogramTwoSeriesSideBySide() {
        let h = Histogram(series: [
            HistogramSeries(name: "teacher", counts: [2, 0], style: theme[.histogramTeacher]),
            HistogramSeries(name: "student", counts: [0, 2], style: theme[.histogramStudent]),
        ], range: 0...2)
        let b = render(4, 2) { h.render(into: &$0, rect: $0.bounds, theme: theme) }
        #expect(b.plainText() == "█  █\n────")
        #expect(b[0, 0].style == theme[.histogramTeacher])
        #expect(b[3, 0].style == theme[.histogramStudent])
    }

    @Test func sparkline() {
        #expect(Sparkline(values: [0, 1, 2, 3, 4, 5, 6, 7]).text(width: 8) == "▁▂▃▄▅▆▇█")
        #expect(Sparkline(values: [1, 2, 3]).text(width: 2) == "▁█")
        #expect(Sparkline(values: [5, 5]).text(width: 4) == "▄▄")
    }

    @Test func lineChartDrawsBrailleFromCornerToCorner() {
        let chart = LineChart(series: [LineChart.Series(values: [0, 1], style: theme[.accent])])
        let b = render(2, 1) { chart.render(into: &$0, rect: $0.bounds, theme: theme) }
        // dots (0,3) → (3,0): a rising diagonal across two cells
        #expect(b.rowText(0) == "⡠⠊")
    }

    @Test func textViewWrapsScrollsAndSanitises() {
        let view = TextView(text: "one two three four\u{1B}]52;c;AAAA\u{7}", width: 9)
        #expect(view.lines == ["one two", "three", "four␛]52…"])
        let b = render(10, 2) { view.render(into: &$0, rect: $0.bounds, offset: 1, style: theme[.text], theme: theme) }
        #expect(b.plainText() == "three\nfour␛]52…┃")
    }

    @Test func textFieldEditsGraphemes() {
        var f = TextField(text: "héllo")
        f.handle(.left)
        f.handle(.left)
        f.handle(.backspace)
        #expect(f.text == "hélo")
        f.handle(.home)
        f.handle(.char("字"))
        f.handle(.delete)
        #expect(f.text == "字élo")
        f.handle(.end)
        f.insert("👩‍💻")
        #expect(f.text == "字élo👩‍💻")
        #expect(f.cursor == 5)
        f.handle(.backspace)
        #expect(f.text == "字élo")
        f.handle(.home)
        f.handle(.right)
        f.insert("\u{301}")  // combining mark joins the previous grapheme
        #expect(f.text == "字\u{301}élo")
        #expect(f.cursor == 1)
    }

    @Test func textFieldScrollsToCursorAndSetsBufferCursor() {
        var f = TextField(text: "abcdefghij")
        var b = CellBuffer(width: 5, height: 1)
        f.render(into: &b, rect: b.bounds, style: .plain, focused: true)
        #expect(b.plainText() == "ghij")
        #expect(b.cursor == Point(x: 4, y: 0))
        f.handle(.home)
        f.render(into: &b, rect: b.bounds, style: .plain, focused: true)
        #expect(b.plainText() == "abcde")
        #expect(b.cursor == Point(x: 0, y: 0))
    }

    @Test func statusBarLeftRightAndError() {
        let bar = StatusBar(mode: "NORMAL", left: "round 2", right: "12:00")
        let b = render(30, 1) { bar.render(into: &$0, rect: $0.bounds, theme: theme) }
        #expect(b.plainText() == " NORMAL  round 2        12:00")
        #expect(b[1, 0].style == theme[.statusBarAccent])
        let e = StatusBar(left: "x", error: "theme.theme:3: bad")
        let eb = render(30, 1) { e.render(into: &$0, rect: $0.bounds, theme: theme) }
        #expect(eb.plainText() == " theme.theme:3: bad")
        #expect(eb[1, 0].style.foreground == theme[.bad].foreground)
    }

    @Test func tabBarHighlightsSelected() {
        let tabs = TabBar(titles: ["Rounds", "Tasks"], selected: 1)
        var b = CellBuffer(width: 24, height: 1)
        let ranges = tabs.render(into: &b, rect: b.bounds, theme: theme)
        #expect(b.plainText() == " 1 Rounds │ 2 Tasks │")
        #expect(ranges == [0..<10, 11..<20])
        #expect(b[12, 0].style == theme[.tabActive])
        #expect(b[1, 0].style == theme[.tabInactive])
    }

    @Test func helpOverlayFromKeymap() {
        let map = Keymap([
            KeyBinding(.char("q"), "quit", "quit tapir"),
            KeyBinding(.char("a"), "approve", "approve", scope: "review"),
        ])
        let overlay = HelpOverlay(keymap: map, scope: "review")
        #expect(overlay.lines() == ["[review]", "a  approve", "", "[global]", "q  quit tapir"])
        let b = render(30, 9) { overlay.render(into: &$0, rect: $0.bounds, offset: 0, theme: theme) }
        #expect(b.plainText().contains("│ q  quit tapir"))
        #expect(b.plainText().contains("Keys — esc closes"))
    }

    @Test func confirmDialog() {
        let d = ConfirmDialog(title: "Quit", message: "The engine is running. Quit?")
        let b = render(40, 7) { d.render(into: &$0, rect: $0.bounds, theme: theme) }
        #expect(b.plainText().contains("The engine is running. Quit?"))
        #expect(b.plainText().contains("[y] yes   [n] no"))
        #expect(ConfirmDialog.answer(for: .char("y")) == true)
        #expect(ConfirmDialog.answer(for: .escape) == false)
        #expect(ConfirmDialog.answer(for: .char("x")) == nil)
    }

    @Test func boxDrawsFrameAndTitle() {
        let b = render(10, 3) { Box.draw(&$0, $0.bounds, title: "Hi", theme: theme) }
        #expect(b.plainText() == "┌ Hi ────┐\n│        │\n└────────┘")
    }
}

/// Counts calls from a @Sendable closure (tests run the closure on one thread).
final class Counter: @unchecked Sendable {
    private(set) var value = 0
    func increment() { value += 1 }
}
