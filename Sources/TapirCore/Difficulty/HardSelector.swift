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
        // Positions sorted over a plain array of values: no generic element moves while sorting.
        let values = items.map { $0.value }
        let order = values.indices.sorted { values[$0] != values[$1] ? values[$0] > values[$1] : $0 < $1 }
        var hard: [DifficultyItem<ID>] = []
        var easy: [DifficultyItem<ID>] = []
        var counts: [String: (hard: Int, total: Int)] = [:]
        for position in order {
            let item = items[position]
            let isHard = isHard(item.value)
            if isHard { hard.append(item) } else { easy.append(item) }
            let current = counts[item.category] ?? (0, 0)
            counts[item.category] = (current.hard + (isHard ? 1 : 0), current.total + 1)
        }
        return HardSelection(hard: hard, easy: easy, countsByCategory: counts)
    }
}
