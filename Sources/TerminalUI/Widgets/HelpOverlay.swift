/// A framed list of key bindings generated from the keymap: the current scope, then global.
public struct HelpOverlay: Sendable {
    public var keymap: Keymap
    public var scope: String

    public init(keymap: Keymap, scope: String) {
        self.keymap = keymap
        self.scope = scope
    }

    /// The overlay's lines (section headers and `keys  help` rows).
    public func lines() -> [String] {
        var out: [String] = []
        let scopes = scope == Keymap.globalScope ? [scope] : [scope, Keymap.globalScope]
        let all = scopes.map { ($0, keymap.helpEntries(scope: $0)) }.filter { !$0.1.isEmpty }
        let keyWidth = all.flatMap { $0.1.map { DisplayWidth.of($0.keys) } }.max() ?? 0
        for (name, entries) in all {
            if !out.isEmpty { out.append("") }
            out.append("[\(name)]")
            for e in entries { out.append(TextLayout.pad(e.keys, width: keyWidth) + "  " + e.help) }
        }
        return out
    }

    /// Draws the overlay centred in `rect`, scrolled by `offset` lines.
    public func render(into buffer: inout CellBuffer, rect: Rect, offset: Int, theme: Theme) {
        let content = lines()
        let title = "Keys — esc closes"
        let w = min(rect.width, max(DisplayWidth.of(title) + 6, (content.map { DisplayWidth.of($0) }.max() ?? 10) + 4))
        let h = min(rect.height, content.count + 2)
        let box = rect.centered(width: w, height: h)
        let inner = Box.draw(&buffer, box, title: title, theme: theme)
        buffer.fill(inner, style: theme[.dialog])
        let start = max(0, min(offset, content.count - inner.height))
        for row in 0..<inner.height where start + row < content.count {
            let line = content[start + row]
            let style = line.hasPrefix("[") ? theme[.title].on(theme[.dialog].background) : theme[.dialog]
            buffer.write(" " + line, x: inner.x, y: inner.y + row, style: style, clip: inner)
        }
    }
}
