/// An editable single-line text with a cursor, edited grapheme by grapheme.
public struct TextField: Sendable, Hashable {
    public private(set) var graphemes: [Character]
    /// Cursor position in graphemes (0…count).
    public private(set) var cursor: Int
    /// First visible grapheme (horizontal scroll).
    public private(set) var scroll: Int = 0

    public init(text: String = "") {
        graphemes = Array(text)
        cursor = graphemes.count
    }

    public var text: String { String(graphemes) }

    /// Applies an editing key; returns false when the key is not an editing key.
    @discardableResult
    public mutating func handle(_ key: Key) -> Bool {
        switch key {
        case .left: cursor = max(0, cursor - 1)
        case .right: cursor = min(graphemes.count, cursor + 1)
        case .home, .ctrl("a"): cursor = 0
        case .end, .ctrl("e"): cursor = graphemes.count
        case .backspace, .ctrl("h"):
            guard cursor > 0 else { return true }
            graphemes.remove(at: cursor - 1)
            cursor -= 1
        case .delete, .ctrl("d"):
            guard cursor < graphemes.count else { return true }
            graphemes.remove(at: cursor)
        case .ctrl("u"):
            graphemes.removeFirst(cursor)
            cursor = 0
        case .ctrl("k"):
            graphemes.removeLast(graphemes.count - cursor)
        case .char(let c):
            insert(c)
        default: return false
        }
        return true
    }

    /// Inserts text at the cursor (controls dropped).
    public mutating func insert(_ text: String) {
        for c in text where !(c.unicodeScalars.first.map { $0.value < 0x20 || $0.value == 0x7F } ?? true) { insert(c) }
    }

    private mutating func insert(_ c: Character) {
        // Joining a combining mark onto the previous grapheme keeps cursor positions consistent.
        graphemes.insert(c, at: cursor)
        let merged = Array(String(graphemes))
        let delta = merged.count - graphemes.count
        graphemes = merged
        cursor = min(graphemes.count, cursor + 1 + delta)
    }

    /// Draws the field into one row of `rect`, scrolling so the cursor is visible, and sets
    /// `buffer.cursor` when `focused`.
    public mutating func render(into buffer: inout CellBuffer, rect: Rect, style: Style, focused: Bool) {
        guard rect.width > 0, rect.height > 0 else { return }
        let row = rect.row(0)
        buffer.fill(row, style: style)
        if cursor < scroll { scroll = cursor }
        while DisplayWidth.of(String(graphemes[scroll..<cursor])) > row.width - 1 { scroll += 1 }
        let visible = String(graphemes[scroll...])
        buffer.write(visible, x: row.x, y: row.y, style: style, clip: row)
        if focused {
            buffer.cursor = Point(x: row.x + DisplayWidth.of(String(graphemes[scroll..<cursor])), y: row.y)
        }
    }
}
