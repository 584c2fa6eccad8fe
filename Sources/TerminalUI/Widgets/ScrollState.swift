/// Selection and scroll position of a list of `count` rows shown `visible` at a time.
public struct ScrollState: Sendable, Hashable {
    public var selected: Int
    public var offset: Int

    public init(selected: Int = 0, offset: Int = 0) {
        self.selected = selected
        self.offset = offset
    }

    /// Moves the selection by `delta` rows (clamped) and scrolls to keep it visible.
    public mutating func move(_ delta: Int, count: Int, visible: Int) {
        guard count > 0 else { selected = 0; offset = 0; return }
        selected = min(count - 1, max(0, selected + delta))
        reveal(count: count, visible: visible)
    }

    /// Selects row `index` (clamped) and scrolls to keep it visible.
    public mutating func select(_ index: Int, count: Int, visible: Int) {
        move(index - selected, count: count, visible: visible)
    }

    /// Scrolls so the selection is visible and no empty space shows past the end.
    public mutating func reveal(count: Int, visible: Int) {
        let v = max(1, visible)
        selected = min(max(0, count - 1), max(0, selected))
        if selected < offset { offset = selected }
        if selected >= offset + v { offset = selected - v + 1 }
        offset = max(0, min(offset, max(0, count - v)))
    }
}
