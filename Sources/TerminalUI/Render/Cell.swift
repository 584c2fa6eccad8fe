/// One terminal cell: a grapheme cluster, its width and its style.
///
/// A two-column grapheme occupies its cell (`width == 2`) and the cell to its right,
/// which is a continuation cell (`width == 0`, empty grapheme).
public struct Cell: Hashable, Sendable {
    public var grapheme: String
    public var width: UInt8
    public var style: Style

    public init(grapheme: String, width: UInt8, style: Style) {
        self.grapheme = grapheme
        self.width = width
        self.style = style
    }

    /// A blank cell in `style`.
    public static func blank(_ style: Style = .plain) -> Cell { Cell(grapheme: " ", width: 1, style: style) }

    /// True for the right half of a wide grapheme.
    public var isContinuation: Bool { width == 0 }
}

/// A horizontal run of changed cells, as produced by `CellBuffer.diff(from:)`.
public struct CellRun: Hashable, Sendable {
    public var x: Int
    public var y: Int
    public var cells: [Cell]

    public init(x: Int, y: Int, cells: [Cell]) {
        self.x = x
        self.y = y
        self.cells = cells
    }
}
