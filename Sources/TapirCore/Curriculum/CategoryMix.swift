/// The achieved numbers of one category in a composed set.
public struct CategoryMix: Sendable, Hashable {
    public var category: String
    /// The share aimed at, after redistributing shares of categories with no items.
    public var targetShare: Double
    public var count: Int
    public var hard: Int
    public var easy: Int
    public var expansions: Int
    public var repeats: Int
    /// Items of this category that were available (hard + easy pools).
    public var available: Int
}
