import TapirCore

/// Multi-line text, sanitised, wrapped by display width, scrolled by `offset` lines.
public struct TextView: Sendable {
    public var lines: [String]

    /// Wraps `text` (untrusted text is sanitised first) to `width` columns.
    public init(text: String, width: Int, sanitize: Bool = true) {
        let safe = sanitize ? TerminalSanitizer.sanitize(text, options: .multiline) : text
        lines = TextLayout.wrap(safe, width: max(1, width))
    }

    /// The largest useful scroll offset for a view of `height` rows.
    public func maxOffset(height: Int) -> Int { max(0, lines.count - height) }

    /// Draws lines `offset…` into `rect`, with a scroll indicator in the last column when clipped.
    public func render(into buffer: inout CellBuffer, rect: Rect, offset: Int, style: Style, theme: Theme) {
        guard !rect.isEmpty else { return }
        buffer.fill(rect, style: style)
        let start = max(0, min(offset, maxOffset(height: rect.height)))
        for row in 0..<rect.height {
            let i = start + row
            guard i < lines.count else { break }
            buffer.write(lines[i], x: rect.x, y: rect.y + row, style: style, clip: rect)
        }
        if lines.count > rect.height {
            let thumb = rect.y + (rect.height - 1) * start / max(1, maxOffset(height: rect.height))
            buffer.write("┃", x: rect.maxX - 1, y: thumb, style: theme[.muted], clip: rect)
        }
    }
}
