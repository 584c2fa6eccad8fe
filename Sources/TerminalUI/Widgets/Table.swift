import Foundation
import TapirCore

/// A table column: title, width and alignment.
public struct TableColumn: Sendable, Hashable {
    public var title: String
    public var width: LayoutSize
    public var alignment: Alignment

    public init(_ title: String, width: LayoutSize = .fill(1), alignment: Alignment = .left) {
        self.title = title
        self.width = width
        self.alignment = alignment
    }
}

/// Sorting of a table: which column and which direction.
public struct TableSort: Sendable, Hashable {
    public var column: Int
    public var ascending: Bool
    public init(column: Int, ascending: Bool = true) {
        self.column = column
        self.ascending = ascending
    }
}

/// A table with a header, sortable columns, a selected row and scrolling.
/// Cell text is sanitised for display; numbers sort numerically.
public struct Table: Sendable {
    public var columns: [TableColumn]
    public var rows: [[String]]
    /// Lazily built rows (large unsorted lists): only visible rows are formatted.
    private var lazyCount: Int?
    private var lazyRow: (@Sendable (Int) -> [String])?
    public var sort: TableSort?
    /// Rows marked by bulk selection (indices into the sorted order's source rows).
    public var marked: Set<Int>

    /// A table whose rows are built on demand, in source order (no sorting): for long lists
    /// only the visible rows are ever formatted.
    public init(columns: [TableColumn], rowCount: Int, marked: Set<Int> = [], row: @escaping @Sendable (Int) -> [String]) {
        self.columns = columns
        self.rows = []
        self.sort = nil
        self.marked = marked
        lazyCount = rowCount
        lazyRow = row
    }

    public init(columns: [TableColumn], rows: [[String]], sort: TableSort? = nil, marked: Set<Int> = []) {
        self.columns = columns
        self.rows = rows
        self.sort = sort
        self.marked = marked
    }

    /// Source-row indices in display order (stable; numbers compare numerically).
    public func displayOrder() -> [Int] {
        if let lazyCount { return Array(0..<lazyCount) }
        guard let sort, sort.column < columns.count else { return Array(rows.indices) }
        // Parse each key once, then sort indices.
        let texts = rows.map { sort.column < $0.count ? $0[sort.column] : "" }
        let numbers = texts.map(Table.number)
        let allNumeric = numbers.allSatisfy { $0 != nil }
        return rows.indices.sorted { a, b in
            let ordered: ComparisonResult
            if allNumeric, let dx = numbers[a], let dy = numbers[b] {
                ordered = dx < dy ? .orderedAscending : (dx > dy ? .orderedDescending : .orderedSame)
            } else {
                ordered = texts[a].localizedStandardCompare(texts[b])
            }
            if ordered == .orderedSame { return a < b }
            return sort.ascending ? ordered == .orderedAscending : ordered == .orderedDescending
        }
    }

    /// Rows visible in `rect` (header excluded).
    public static func visibleRows(in rect: Rect) -> Int { max(0, rect.height - 1) }

    /// Where the data rows of a table drawn in `rect` are (below the header).
    public static func rowsArea(in rect: Rect) -> Rect {
        Rect(x: rect.x, y: rect.y + 1, width: rect.width, height: visibleRows(in: rect))
    }

    /// Draws the table; `state.selected` indexes display order. Adjusts `state.offset`.
    public func render(into buffer: inout CellBuffer, rect: Rect, state: inout ScrollState, theme: Theme) {
        guard !rect.isEmpty else { return }
        let widths = Layout.distribute(rect.width, columns.map(\.width), spacing: 1)
        buffer.fill(rect, style: theme[.text])
        var x = rect.x
        for (i, column) in columns.enumerated() {
            var title = column.title
            if let sort, sort.column == i { title = TextLayout.truncate(title, width: widths[i] - 1, ellipsis: "") + (sort.ascending ? "▲" : "▼") }
            buffer.write(TextLayout.pad(title, width: widths[i], alignment: column.alignment), x: x, y: rect.y, style: theme[.header], clip: rect)
            if i + 1 < columns.count { buffer.write(" ", x: x + widths[i], y: rect.y, style: theme[.header], clip: rect) }
            x += widths[i] + 1
        }
        if x - 1 < rect.maxX { buffer.fill(Rect(x: x - 1, y: rect.y, width: rect.maxX - x + 1, height: 1), style: theme[.header]) }
        let order = displayOrder()
        let visible = Table.visibleRows(in: rect)
        state.reveal(count: order.count, visible: visible)
        for line in 0..<visible {
            let index = state.offset + line
            guard index < order.count else { break }
            let source = order[index]
            let y = rect.y + 1 + line
            var style = index == state.selected ? theme[.selection] : theme[.text]
            if marked.contains(source) && index != state.selected { style = theme[.accent] }
            buffer.fill(Rect(x: rect.x, y: y, width: rect.width, height: 1), style: style)
            var cx = rect.x
            let cells = lazyRow?(source) ?? rows[source]
            for (i, column) in columns.enumerated() {
                let raw = i < cells.count ? cells[i] : ""
                // Sanitise before measuring so placeholders are cut like any other text.
                var text = TerminalSanitizer.sanitize(raw, options: .singleLine)
                if i == 0 && !marked.isEmpty { text = (marked.contains(source) ? "● " : "  ") + text }
                buffer.write(TextLayout.pad(text, width: widths[i], alignment: column.alignment), x: cx, y: y, style: style, clip: rect)
                cx += widths[i] + 1
            }
        }
    }

    static func number(_ s: String) -> Double? {
        if let d = Double(s) { return d }
        let t = s.trimmingCharacters(in: .whitespaces).replacingOccurrences(of: "%", with: "").replacingOccurrences(of: ",", with: "")
        if t.hasPrefix("$") { return Double(t.dropFirst()) }
        return t.isEmpty ? nil : Double(t)
    }
}
