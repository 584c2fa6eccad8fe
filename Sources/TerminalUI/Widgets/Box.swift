/// A single-line frame with an optional title; returns the inner rectangle.
public enum Box {
    @discardableResult
    public static func draw(_ buffer: inout CellBuffer, _ rect: Rect, title: String? = nil, theme: Theme) -> Rect {
        guard rect.width >= 2, rect.height >= 2 else { return Rect(x: rect.x, y: rect.y, width: 0, height: 0) }
        let border = theme[.border]
        let inner = rect.inset(by: 1)
        buffer.fill(inner, style: theme[.text])
        let horizontal = String(repeating: "─", count: rect.width - 2)
        buffer.write("┌" + horizontal + "┐", x: rect.x, y: rect.y, style: border)
        buffer.write("└" + horizontal + "┘", x: rect.x, y: rect.maxY - 1, style: border)
        for y in (rect.y + 1)..<(rect.maxY - 1) {
            buffer.write("│", x: rect.x, y: y, style: border)
            buffer.write("│", x: rect.maxX - 1, y: y, style: border)
        }
        if let title, rect.width > 4 {
            let t = " " + TextLayout.truncate(title, width: rect.width - 4) + " "
            buffer.write(t, x: rect.x + 1, y: rect.y, style: theme[.title], clip: rect)
        }
        return inner
    }
}
