import TerminalUI

/// Colour pairs allocated on demand: each distinct (foreground, background) gets the next
/// free pair number; pair 0 (terminal defaults) is shared. When pairs run out, the least
/// specific fallback (pair 0) is used rather than failing.
struct ColorPairTable {
    struct Key: Hashable {
        var foreground: Int32
        var background: Int32
    }

    let depth: ColorDepth
    let maxPairs: Int
    private(set) var pairs: [Key: Int32] = [:]
    /// Pairs that ncurses still needs to be told about (`init_pair`).
    private(set) var pending: [(pair: Int32, key: Key)] = []

    init(depth: ColorDepth, maxPairs: Int) {
        self.depth = depth
        self.maxPairs = maxPairs
    }

    /// The ncurses colour number of a colour at this depth (-1 = terminal default).
    func colorNumber(_ color: Color) -> Int32 {
        switch Style(foreground: color).adapted(to: depth).foreground {
        case .default: return -1
        case .indexed(let i): return Int32(i)
        }
    }

    /// The pair number for a style's colours, allocating one if needed.
    mutating func pair(for style: Style) -> Int32 {
        guard depth != .none else { return 0 }
        let key = Key(foreground: colorNumber(style.foreground), background: colorNumber(style.background))
        if key.foreground == -1 && key.background == -1 { return 0 }
        if let p = pairs[key] { return p }
        let next = Int32(pairs.count + 1)
        guard Int(next) < maxPairs, next <= 32767 else { return 0 }
        pairs[key] = next
        pending.append((next, key))
        return next
    }

    /// Returns and clears the pairs allocated since the last call.
    mutating func takePending() -> [(pair: Int32, key: Key)] {
        defer { pending.removeAll() }
        return pending
    }

    /// Forgets all pairs (after a theme change, so stale pairs do not pile up).
    mutating func reset() {
        pairs.removeAll()
        pending.removeAll()
    }
}
