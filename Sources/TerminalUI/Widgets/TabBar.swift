/// A row of numbered tabs, the selected one highlighted.
public struct TabBar: Sendable {
    public var titles: [String]
    public var selected: Int

    public init(titles: [String], selected: Int) {
        self.titles = titles
        self.selected = selected
    }

    /// Draws ` 1 Rounds  2 Tasks …` and returns the column range of each tab (for mouse clicks).
    @discardableResult
    public func render(into buffer: inout CellBuffer, rect: Rect, theme: Theme) -> [Range<Int>] {
        guard rect.height > 0 else { return [] }
        let row = rect.row(0)
        buffer.fill(row, style: theme[.tabInactive])
        var x = row.x
        var ranges: [Range<Int>] = []
        for (i, title) in titles.enumerated() {
            let label = " \(i + 1) \(title) "
            let style = i == selected ? theme[.tabActive] : theme[.tabInactive]
            let end = buffer.write(label, x: x, y: row.y, style: style, clip: row)
            ranges.append(x..<min(end, row.maxX))
            x = end
            if x < row.maxX { x = buffer.write("│", x: x, y: row.y, style: theme[.tabInactive], clip: row) }
        }
        return ranges
    }
}
