/// A centred yes/no question.
public struct ConfirmDialog: Sendable, Hashable {
    public var title: String
    public var message: String

    public init(title: String, message: String) {
        self.title = title
        self.message = message
    }

    /// The answer a key gives: true for `y`/enter, false for `n`/esc, nil otherwise.
    public static func answer(for key: Key) -> Bool? {
        switch key {
        case .char("y"), .char("Y"), .enter: return true
        case .char("n"), .char("N"), .escape: return false
        default: return nil
        }
    }

    public func render(into buffer: inout CellBuffer, rect: Rect, theme: Theme) {
        let w = min(rect.width, max(30, DisplayWidth.of(message) + 6))
        let lines = TextLayout.wrap(message, width: max(1, w - 4))
        let box = rect.centered(width: w, height: lines.count + 4)
        let inner = Box.draw(&buffer, box, title: title, theme: theme)
        buffer.fill(inner, style: theme[.dialog])
        for (i, line) in lines.enumerated() where i < inner.height {
            buffer.write(" " + line, x: inner.x, y: inner.y + i, style: theme[.dialog], clip: inner)
        }
        if inner.height > lines.count + 1 {
            let buttons = "[y] yes   [n] no"
            buffer.write(TextLayout.pad(buttons, width: inner.width, alignment: .center), x: inner.x, y: inner.maxY - 1, style: theme[.accent].on(theme[.dialog].background), clip: inner)
        }
    }
}
