import TerminalUI

/// Screen 2: per task category, actual share (bar) against the target share (marker), and hard share.
enum TasksScreen {
    static let columns = [
        TableColumn("category", width: .fill(1)),
        TableColumn("count", width: .fixed(6), alignment: .right),
        TableColumn("share", width: .fixed(6), alignment: .right),
        TableColumn("target", width: .fixed(6), alignment: .right),
        TableColumn("hard", width: .fixed(5), alignment: .right),
    ]

    static func render(_ state: inout DashboardState, into buffer: inout CellBuffer, rect: Rect, theme: Theme) {
        let vm = state.data.tasks
        let split = Layout.columns(rect, [.percent(55), .fill(1)], spacing: 1)
        let title = "Category share" + (vm.round.map { " · round \($0)" } ?? "") + "  (┃ = target)"
        buffer.writeLine(title, in: split[0].row(0), style: theme[.title])
        let chartRect = Rect(x: split[0].x, y: split[0].y + 1, width: split[0].width, height: split[0].height - 1)
        let maxShare = vm.categories.map { max($0.actual, $0.target ?? 0) }.max() ?? 1
        let offset = state.list(.tasks).offset
        let bars = vm.categories.dropFirst(offset).map { c in
            Bar(label: c.name, value: c.actual, marker: c.target)
        }
        BarChart(bars: Array(bars), maxValue: maxShare, format: { Format.percent1($0) }).render(into: &buffer, rect: chartRect, theme: theme)
        if vm.categories.isEmpty {
            buffer.write("No categories yet (the classify stage assigns them).", x: chartRect.x + 1, y: chartRect.y + 1, style: theme[.muted], clip: chartRect)
        }
        let rows = vm.categories.map { c in
            [c.name, String(c.count), Format.percent1(c.actual), Format.percent1(c.target), Format.percent(c.hardShare)]
        }
        var list = state.list(.tasks)
        state.pageRows = Table.visibleRows(in: split[1])
        state.listRows = Table.rowsArea(in: split[1])
        Table(columns: columns, rows: rows, sort: state.sorts[.tasks]).render(into: &buffer, rect: split[1], state: &list, theme: theme)
        state.lists[.tasks] = list
    }
}
