/// Selects the hard set H = { value > δ } for the configured difficulty measure.
public struct HardSelector: Sendable, Hashable {
    public var kind: DifficultyKind
    /// δ: strictly greater is hard.
    public var threshold: Double

    public init(kind: DifficultyKind, threshold: Double? = nil) {
        self.kind = kind
        self.threshold = threshold ?? kind.defaultThreshold
    }

    /// True when `value` counts as hard.
    public func isHard(_ value: Double) -> Bool { value > threshold }

    /// Splits `items` into hard and easy, each sorted hardest first (ties by input order).
    public func select<ID>(_ items: [DifficultyItem<ID>]) -> HardSelection<ID> {
        let ordered = items.enumerated().sorted { lhs, rhs in
            lhs.element.value != rhs.element.value ? lhs.element.value > rhs.element.value : lhs.offset < rhs.offset
        }.map(\.element)
        var hard: [DifficultyItem<ID>] = []
        var easy: [DifficultyItem<ID>] = []
        var counts: [String: (hard: Int, total: Int)] = [:]
        for item in ordered {
            let isHard = isHard(item.value)
            if isHard { hard.append(item) } else { easy.append(item) }
            let current = counts[item.category] ?? (0, 0)
            counts[item.category] = (current.hard + (isHard ? 1 : 0), current.total + 1)
        }
        return HardSelection(hard: hard, easy: easy, countsByCategory: counts)
    }
}
