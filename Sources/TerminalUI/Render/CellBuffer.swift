import TapirCore

/// An in-memory screen: `width`×`height` cells that screens and widgets draw into.
/// The backend flushes the difference between two buffers to the terminal.
public struct CellBuffer: Sendable, Equatable {
    public private(set) var width: Int
    public private(set) var height: Int
    public private(set) var cells: [Cell]
    /// Where the terminal cursor should be shown after a flush (nil hides it).
    public var cursor: Point?

    public init(width: Int, height: Int, style: Style = .plain) {
        self.width = max(0, width)
        self.height = max(0, height)
        cells = Array(repeating: .blank(style), count: self.width * self.height)
    }

    /// The whole buffer as a rectangle.
    public var bounds: Rect { Rect(x: 0, y: 0, width: width, height: height) }

    /// The cell at a position (a blank cell outside the buffer).
    public subscript(x: Int, y: Int) -> Cell {
        get { bounds.contains(col: x, row: y) ? cells[y * width + x] : .blank() }
        set {
            guard bounds.contains(col: x, row: y) else { return }
            cells[y * width + x] = newValue
        }
    }

    /// Fills `rect` (clipped to the buffer) with blanks in `style`.
    public mutating func fill(_ rect: Rect, style: Style) {
        fill(rect, grapheme: " ", style: style)
    }

    /// Fills `rect` with a one-column grapheme in `style`.
    public mutating func fill(_ rect: Rect, grapheme: String, style: Style) {
        let r = rect.intersection(bounds)
        guard !r.isEmpty else { return }
        for y in r.y..<r.maxY {
            clearWideOverlap(x: r.x, y: y)
            clearWideOverlap(x: r.maxX - 1, y: y)
            for x in r.x..<r.maxX { cells[y * width + x] = Cell(grapheme: grapheme, width: 1, style: style) }
        }
    }

    /// Changes the style of every cell in `rect`, keeping the text.
    public mutating func restyle(_ rect: Rect, _ transform: (Style) -> Style) {
        let r = rect.intersection(bounds)
        guard !r.isEmpty else { return }
        for y in r.y..<r.maxY {
            for x in r.x..<r.maxX { cells[y * width + x].style = transform(cells[y * width + x].style) }
        }
    }

    /// Writes one line of text starting at (`x`, `y`), clipped to `clip` (default: the buffer).
    /// Control characters are shown as placeholders; a wide grapheme that does not fit in
    /// the last column is replaced by a space; zero-width clusters attach to the previous cell.
    /// Returns the column after the last one written.
    @discardableResult
    public mutating func write(_ text: String, x: Int, y: Int, style: Style, clip: Rect? = nil) -> Int {
        let area = (clip ?? bounds).intersection(bounds)
        guard y >= area.y, y < area.maxY else { return x + DisplayWidth.of(text) }
        let safe = Self.needsSanitizing(text) ? TerminalSanitizer.sanitize(text, options: .singleLine) : text
        var col = x
        var lastCell: Int? = nil
        for c in safe {
            var g = String(c)
            var w = DisplayWidth.of(c)
            if w == 0 {
                if let last = lastCell {
                    cells[last].grapheme.append(contentsOf: g)
                    continue
                }
                g = "\u{25CC}" + g  // a dotted circle carries a mark that has no base
                w = 1
            }
            if col >= area.maxX { break }
            if col < area.x {
                col += w
                continue
            }
            if w == 2 && col + 1 >= area.maxX {
                put(Cell(grapheme: " ", width: 1, style: style), x: col, y: y)
                col += 1
                break
            }
            put(Cell(grapheme: g, width: UInt8(w), style: style), x: col, y: y)
            lastCell = y * width + col
            if w == 2 { put(Cell(grapheme: "", width: 0, style: style), x: col + 1, y: y) }
            col += w
        }
        return col
    }

    /// Writes `text` padded or cut to exactly `rect.width` columns on `rect`'s first row.
    public mutating func writeLine(_ text: String, in rect: Rect, style: Style, alignment: Alignment = .left) {
        guard rect.height > 0 else { return }
        fill(rect.row(0), style: style)
        write(TextLayout.pad(text, width: rect.width, alignment: alignment), x: rect.x, y: rect.y, style: style, clip: rect)
    }

    /// The buffer's text, one line per row, trailing spaces removed (for snapshot tests).
    public func plainText() -> String {
        (0..<height).map { rowText($0).trimmingTrailingSpaces() }.joined(separator: "\n")
    }

    /// The text of one row, continuation cells skipped.
    public func rowText(_ y: Int) -> String {
        var s = ""
        for x in 0..<width {
            let c = cells[y * width + x]
            if !c.isContinuation { s += c.grapheme }
        }
        return s
    }

    /// Runs of cells that differ from `previous`. If the sizes differ, every row is one run.
    /// A run never starts on a continuation cell.
    public func diff(from previous: CellBuffer?) -> [CellRun] {
        guard let previous, previous.width == width, previous.height == height else {
            return (0..<height).map { y in CellRun(x: 0, y: y, cells: Array(cells[(y * width)..<((y + 1) * width)])) }
        }
        var runs: [CellRun] = []
        for y in 0..<height {
            var x = 0
            while x < width {
                let i = y * width + x
                guard cells[i] != previous.cells[i] else { x += 1; continue }
                var start = x
                if cells[i].isContinuation && start > 0 { start -= 1 }
                var end = x + 1
                while end < width && cells[y * width + end] != previous.cells[y * width + end] { end += 1 }
                if end < width && cells[y * width + end].isContinuation { end += 1 }
                if let last = runs.last, last.y == y, last.x + last.cells.count >= start {
                    let lastEnd = last.x + last.cells.count
                    runs[runs.count - 1].cells += Array(cells[(y * width + lastEnd)..<(y * width + end)])
                } else {
                    runs.append(CellRun(x: start, y: y, cells: Array(cells[(y * width + start)..<(y * width + end)])))
                }
                x = end
            }
        }
        return runs
    }

    /// Copies another buffer into this one at (`x`, `y`), clipped.
    public mutating func blit(_ other: CellBuffer, x: Int, y: Int) {
        for oy in 0..<other.height {
            for ox in 0..<other.width { self[x + ox, y + oy] = other[ox, oy] }
        }
    }

    public static func == (a: CellBuffer, b: CellBuffer) -> Bool {
        a.width == b.width && a.height == b.height && a.cells == b.cells && a.cursor == b.cursor
    }

    // MARK: - Internals

    private mutating func put(_ cell: Cell, x: Int, y: Int) {
        clearWideOverlap(x: x, y: y)
        cells[y * width + x] = cell
    }

    /// Before overwriting (x, y): if it is half of a wide grapheme, blank the other half.
    private mutating func clearWideOverlap(x: Int, y: Int) {
        guard bounds.contains(col: x, row: y) else { return }
        let i = y * width + x
        let c = cells[i]
        if c.isContinuation, x > 0 {
            cells[i - 1] = .blank(cells[i - 1].style)
        } else if c.width == 2, x + 1 < width {
            cells[i + 1] = .blank(cells[i + 1].style)
        }
    }

    private static func needsSanitizing(_ text: String) -> Bool {
        text.unicodeScalars.contains { v in v.value < 0x20 || (0x7F...0x9F).contains(v.value) || (0x202A...0x202E).contains(v.value) || (0x2066...0x2069).contains(v.value) }
    }
}
