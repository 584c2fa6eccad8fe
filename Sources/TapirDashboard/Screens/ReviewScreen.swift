import Foundation
import TerminalUI

/// Screen 5: the expansion approval queue. Left: pending expansions (● = marked);
/// right: the instruction, its parent, the student's failed answer, the judge's rationale
/// and the nearest existing instructions with similarity.
enum ReviewScreen {
    static let columns = [
        TableColumn("id", width: .fixed(7), alignment: .right),
        TableColumn("category", width: .fixed(14)),
        TableColumn("new instruction", width: .fill(1)),
    ]

    static func render(_ state: inout DashboardState, into buffer: inout CellBuffer, rect: Rect, theme: Theme) {
        let vm = state.data.review
        let split = Layout.columns(rect, [.percent(42), .fill(1)], spacing: 1)
        let marked = state.marked.isEmpty ? "" : " · \(state.marked.count) marked"
        buffer.writeLine("Review · \(vm.items.count) pending\(marked) · \(vm.approvedCount) approved · \(vm.rejectedCount) rejected",
                         in: split[0].row(0), style: theme[.title])
        let listRect = Rect(x: split[0].x, y: split[0].y + 1, width: split[0].width, height: split[0].height - 1)
        let items = vm.items
        let markedRows = state.marked.isEmpty ? [] : Set(items.indices.filter { state.marked.contains(items[$0].id) })
        var list = state.list(.review)
        state.pageRows = Table.visibleRows(in: listRect)
        state.listRows = Table.rowsArea(in: listRect)
        Table(columns: columns, rowCount: items.count, marked: markedRows) { [String(items[$0].id), items[$0].category, items[$0].text] }.render(into: &buffer, rect: listRect, state: &list, theme: theme)
        state.lists[.review] = list
        for y in rect.y..<rect.maxY { buffer.write("│", x: split[1].x - 1, y: y, style: theme[.border]) }

        guard let item = state.selectedReviewItem else {
            buffer.write("Nothing to review.", x: split[1].x + 1, y: split[1].y + 1, style: theme[.muted], clip: split[1])
            return
        }
        var sections: [(String, String)] = [
            ("Instruction #\(item.id) (round \(item.round), \(item.category))", item.text),
            ("Parent (hard seed)", item.parentText),
            ("Student's answer to the parent", item.studentAnswer),
            ("Judge rationale", item.rationale),
        ]
        let nearest = item.nearest.map { ($0.similarity.map { String(format: "%.2f  ", $0) } ?? "      ") + $0.text }.joined(separator: "\n")
        sections.append(("Nearest existing instructions (similarity)", nearest.isEmpty ? "–" : nearest))
        DetailPane.render(sections, state: &state, into: &buffer, rect: split[1], theme: theme,
                          footer: "a approve · r reject · e edit · space mark · A all · J/K scroll")
    }
}

/// A titled, wrapped, scrollable column of text sections (untrusted text sanitised).
enum DetailPane {
    static func render(_ sections: [(String, String)], state: inout DashboardState, into buffer: inout CellBuffer,
                       rect: Rect, theme: Theme, footer: String) {
        let body = Rect(x: rect.x, y: rect.y, width: rect.width, height: rect.height - 1)
        var lines: [(String, Bool)] = []
        for (i, (title, text)) in sections.enumerated() {
            if i > 0 { lines.append(("", false)) }
            lines.append((title, true))
            for l in TextView(text: text, width: max(1, body.width - 2)).lines { lines.append(("  " + l, false)) }
        }
        let maxOffset = max(0, lines.count - body.height)
        state.detailOffset = min(state.detailOffset, maxOffset)
        for row in 0..<body.height {
            let i = state.detailOffset + row
            guard i < lines.count else { break }
            buffer.write(lines[i].0, x: body.x, y: body.y + row, style: lines[i].1 ? theme[.accent] : theme[.text], clip: body)
        }
        buffer.writeLine(footer + (maxOffset > 0 ? "  [\(state.detailOffset + 1)/\(maxOffset + 1)]" : ""), in: rect.row(rect.height - 1), style: theme[.muted])
    }
}
