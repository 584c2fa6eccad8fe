/// A rectangle of terminal cells; `x`/`y` are the top-left column/row.
public struct Rect: Hashable, Sendable, CustomStringConvertible {
    public var x: Int
    public var y: Int
    public var width: Int
    public var height: Int

    public init(x: Int, y: Int, width: Int, height: Int) {
        self.x = x
        self.y = y
        self.width = max(0, width)
        self.height = max(0, height)
    }

    /// Column just past the right edge.
    public var maxX: Int { x + width }
    /// Row just past the bottom edge.
    public var maxY: Int { y + height }
    /// True when the rectangle holds no cells.
    public var isEmpty: Bool { width <= 0 || height <= 0 }

    public var description: String { "(\(x),\(y) \(width)x\(height))" }

    /// True when the cell at (`col`, `row`) lies inside.
    public func contains(col: Int, row: Int) -> Bool {
        col >= x && col < maxX && row >= y && row < maxY
    }

    /// The overlap of two rectangles (empty when they do not overlap).
    public func intersection(_ other: Rect) -> Rect {
        let nx = max(x, other.x), ny = max(y, other.y)
        let mx = min(maxX, other.maxX), my = min(maxY, other.maxY)
        return Rect(x: nx, y: ny, width: max(0, mx - nx), height: max(0, my - ny))
    }

    /// The rectangle shrunk by the given padding on each side.
    public func inset(_ padding: Padding) -> Rect {
        Rect(x: x + padding.left, y: y + padding.top,
             width: width - padding.left - padding.right,
             height: height - padding.top - padding.bottom)
    }

    /// The rectangle shrunk by `n` cells on every side.
    public func inset(by n: Int) -> Rect { inset(Padding(all: n)) }

    /// A `width`×`height` rectangle centred inside this one (clamped to fit).
    public func centered(width w: Int, height h: Int) -> Rect {
        let cw = min(w, width), ch = min(h, height)
        return Rect(x: x + (width - cw) / 2, y: y + (height - ch) / 2, width: cw, height: ch)
    }

    /// One row of this rectangle (`row` counted from its top).
    public func row(_ row: Int) -> Rect { Rect(x: x, y: y + row, width: width, height: 1) }
}

/// Space to leave on each side of a rectangle.
public struct Padding: Hashable, Sendable {
    public var top: Int, right: Int, bottom: Int, left: Int

    public init(top: Int = 0, right: Int = 0, bottom: Int = 0, left: Int = 0) {
        self.top = top
        self.right = right
        self.bottom = bottom
        self.left = left
    }

    public init(all n: Int) { self.init(top: n, right: n, bottom: n, left: n) }
    public init(horizontal h: Int, vertical v: Int) { self.init(top: v, right: h, bottom: v, left: h) }
}

/// A cell position.
public struct Point: Hashable, Sendable {
    public var x: Int
    public var y: Int
    public init(x: Int, y: Int) {
        self.x = x
        self.y = y
    }
}
