/// The split of a round's instructions into hard and easy.
public struct HardSelection<ID: Hashable & Sendable>: Sendable {
    /// Items with value > δ, hardest first.
    public var hard: [DifficultyItem<ID>]
    /// The rest, hardest first.
    public var easy: [DifficultyItem<ID>]
    /// Per category: (hard, total).
    public var countsByCategory: [String: (hard: Int, total: Int)]

    /// Share of items that are hard (0 for no items).
    public var hardShare: Double {
        let total = hard.count + easy.count
        return total == 0 ? 0 : Double(hard.count) / Double(total)
    }
}
