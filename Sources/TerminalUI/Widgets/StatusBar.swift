/// One-line bar: left text, optional highlighted mode tag, right-aligned text.
public struct StatusBar: Sendable {
    public var mode: String?
    public var left: String
    public var right: String
    /// Shown in the `bad` style instead of `left` (e.g. a broken theme file).
    public var error: String?

    public init(mode: String? = nil, left: String = "", right: String = "", error: String? = nil) {
        self.mode = mode
        self.left = left
        self.right = right
        self.error = error
    }

    public func render(into buffer: inout CellBuffer, rect: Rect, theme: Theme) {
        guard rect.height > 0, rect.width > 0 else { return }
        let row = rect.row(0)
        buffer.fill(row, style: theme[.statusBar])
        var x = row.x
        if let mode, !mode.isEmpty {
            x = buffer.write(" \(mode) ", x: x, y: row.y, style: theme[.statusBarAccent], clip: row)
        }
        // The left text (message or error) wins: the right side gives way from its start.
        let leftNeed = DisplayWidth.of(error ?? left) + 2
        var rightText = right.isEmpty ? "" : right + " "
        let rightRoom = max(0, row.maxX - x - leftNeed)
        if DisplayWidth.of(rightText) > rightRoom { rightText = Self.keepingEnd(rightText, width: rightRoom) }
        let rightWidth = min(DisplayWidth.of(rightText), max(0, row.maxX - x - 1))
        let leftArea = Rect(x: x, y: row.y, width: row.maxX - x - rightWidth, height: 1)
        if let error {
            var s = theme[.bad]
            s.background = theme[.statusBar].background
            buffer.write(" " + TextLayout.truncate(error, width: max(0, leftArea.width - 1)), x: x, y: row.y, style: s.with(.bold), clip: leftArea)
        } else {
            buffer.write(" " + TextLayout.truncate(left, width: max(0, leftArea.width - 1)), x: x, y: row.y, style: theme[.statusBar], clip: leftArea)
        }
        if rightWidth > 0 {
            buffer.write(TextLayout.truncate(rightText, width: rightWidth), x: row.maxX - rightWidth, y: row.y, style: theme[.statusBar], clip: row)
        }
    }

    /// The end of `text` that fits in `width` cells, led by "…" when cut.
    static func keepingEnd(_ text: String, width: Int) -> String {
        guard width > 1 else { return "" }
        var kept: [Character] = []
        var used = 1
        for c in text.reversed() {
            let w = DisplayWidth.of(String(c))
            if used + w > width { break }
            kept.append(c)
            used += w
        }
        return "…" + String(kept.reversed())
    }
}
