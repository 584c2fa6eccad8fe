import TerminalUI

/// Screen 6: every instruction; `/` searches, `n`/`N` jump between matches; the right pane
/// shows all responses, scores, rationales and the lineage chain of the selected one.
enum SamplesScreen {
    static let columns = [
        TableColumn("id", width: .fixed(7), alignment: .right),
        TableColumn("category", width: .fixed(14)),
        TableColumn("instruction", width: .fill(1)),
    ]

    static func render(_ state: inout DashboardState, into buffer: inout CellBuffer, rect: Rect, theme: Theme) {
        let vm = state.data.samples
        let split = Layout.columns(rect, [.percent(45), .fill(1)], spacing: 1)
        let search = state.searchQuery.map { " · search “\($0)” (n/N)" } ?? " · / searches"
        buffer.writeLine("Samples · \(vm.rows.count) of \(vm.total)\(search)", in: split[0].row(0), style: theme[.title])
        let listRect = Rect(x: split[0].x, y: split[0].y + 1, width: split[0].width, height: split[0].height - 1)
        var list = state.list(.samples)
        state.pageRows = Table.visibleRows(in: listRect)
        state.listRows = Table.rowsArea(in: listRect)
        let rows = vm.rows
        Table(columns: columns, rowCount: rows.count) { [String(rows[$0].id), rows[$0].category, rows[$0].text] }
            .render(into: &buffer, rect: listRect, state: &list, theme: theme)
        state.lists[.samples] = list
        for y in rect.y..<rect.maxY { buffer.write("│", x: split[1].x - 1, y: y, style: theme[.border]) }

        guard let row = state.selectedSample else {
            buffer.write("No instructions.", x: split[1].x + 1, y: split[1].y + 1, style: theme[.muted], clip: split[1])
            return
        }
        guard let d = vm.detail, d.id == row.id else {
            DetailPane.render([("Instruction #\(row.id) · \(row.source) · \(row.state)", row.text)], state: &state,
                              into: &buffer, rect: split[1], theme: theme, footer: "loading…")
            return
        }
        var sections: [(String, String)] = [("Instruction #\(d.id) · \(row.category) · \(row.source) · \(row.state)", d.text)]
        if !d.input.isEmpty { sections.append(("Input", d.input)) }
        sections.append(("Lineage", d.lineage.isEmpty ? "seed" : d.lineage.joined(separator: " → ")))
        for r in d.responses { sections.append(("\(r.role) · round \(r.round) · \(r.model)", r.text)) }
        for j in d.judgements {
            let scores = "teacher \(Format.fixed2(j.teacher)) · student \(Format.fixed2(j.student)) · MFD \(Format.fixed2(j.mfd))"
            sections.append(("Judgement · round \(j.round) · \(scores)", j.rationale.isEmpty ? "–" : j.rationale))
        }
        DetailPane.render(sections, state: &state, into: &buffer, rect: split[1], theme: theme, footer: "J/K scroll")
    }
}
