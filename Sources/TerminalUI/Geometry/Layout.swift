/// How much of a split one part takes.
public enum LayoutSize: Hashable, Sendable {
    /// Exactly this many cells (or fewer if space runs out).
    case fixed(Int)
    /// This percentage of the whole length.
    case percent(Int)
    /// A share of what is left after fixed and percent parts, by weight.
    case fill(Int)
}

/// Splits rectangles into rows and columns.
public enum Layout {
    /// Splits `rect` top to bottom.
    public static func rows(_ rect: Rect, _ sizes: [LayoutSize], spacing: Int = 0) -> [Rect] {
        let lengths = distribute(rect.height, sizes, spacing: spacing)
        var y = rect.y
        return lengths.map { h in
            defer { y += h + spacing }
            return Rect(x: rect.x, y: y, width: rect.width, height: h)
        }
    }

    /// Splits `rect` left to right.
    public static func columns(_ rect: Rect, _ sizes: [LayoutSize], spacing: Int = 0) -> [Rect] {
        let lengths = distribute(rect.width, sizes, spacing: spacing)
        var x = rect.x
        return lengths.map { w in
            defer { x += w + spacing }
            return Rect(x: x, y: rect.y, width: w, height: rect.height)
        }
    }

    /// Lengths for `sizes` that sum to at most `total` (minus spacing); fill parts share the rest
    /// by weight, remainders going to the earliest fill parts.
    public static func distribute(_ total: Int, _ sizes: [LayoutSize], spacing: Int = 0) -> [Int] {
        guard !sizes.isEmpty else { return [] }
        var remaining = max(0, total - spacing * (sizes.count - 1))
        var result = Array(repeating: 0, count: sizes.count)
        for (i, size) in sizes.enumerated() {
            let want: Int
            switch size {
            case .fixed(let n): want = max(0, n)
            case .percent(let p): want = max(0, total * p / 100)
            case .fill: continue
            }
            result[i] = min(want, remaining)
            remaining -= result[i]
        }
        let weights = sizes.map { if case .fill(let w) = $0 { max(0, w) } else { 0 } }
        let totalWeight = weights.reduce(0, +)
        guard totalWeight > 0 else { return result }
        var given = 0
        for i in sizes.indices where weights[i] > 0 {
            result[i] = remaining * weights[i] / totalWeight
            given += result[i]
        }
        var extra = remaining - given
        for i in sizes.indices where weights[i] > 0 && extra > 0 {
            result[i] += 1
            extra -= 1
        }
        return result
    }
}
