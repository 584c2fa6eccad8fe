import TerminalUI

/// Screen 4: hard instructions sorted by MFD (highest first), filterable by category (`c`).
enum HardQueueScreen {
    static let columns = [
        TableColumn("id", width: .fixed(7), alignment: .right),
        TableColumn("category", width: .fixed(22)),
        TableColumn("MFD", width: .fixed(6), alignment: .right),
        TableColumn("instruction", width: .fill(1)),
    ]

    static func render(_ state: inout DashboardState, into buffer: inout CellBuffer, rect: Rect, theme: Theme) {
        let items = state.visibleHardItems
        let filter = state.hardCategory.map { "category: \($0)" } ?? "all categories (c cycles)"
        let round = state.data.hardQueue.round.map { "round \($0) · " } ?? ""
        buffer.writeLine("Hard queue · \(round)\(items.count) instructions · \(filter)", in: rect.row(0), style: theme[.title])
        let tableRect = Rect(x: rect.x, y: rect.y + 1, width: rect.width, height: rect.height - 1)
        let format: @Sendable (HardQueueViewModel.Item) -> [String] = { [String($0.id), $0.category, Format.fixed2($0.mfd), $0.text] }
        var list = state.list(.hardQueue)
        state.pageRows = Table.visibleRows(in: tableRect)
        state.listRows = Table.rowsArea(in: tableRect)
        // The store already returns the queue hardest first; `s` re-sorts on demand.
        let table = state.sorts[.hardQueue].map { Table(columns: columns, rows: items.map(format), sort: $0) }
            ?? Table(columns: columns, rowCount: items.count) { format(items[$0]) }
        table.render(into: &buffer, rect: tableRect, state: &list, theme: theme)
        state.lists[.hardQueue] = list
    }
}
