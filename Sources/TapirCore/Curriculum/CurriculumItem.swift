/// A candidate training sample for the composer: one instruction with its (refined) response.
public struct CurriculumItem<ID: Hashable & Sendable>: Sendable, Hashable {
    public var id: ID
    /// Task category (a taxonomy name; unknown names get no target share).
    public var category: String
    /// True for instructions the teacher wrote in the expand stage.
    public var isExpansion: Bool
    /// Difficulty value (informational; pools are already split into hard and easy).
    public var value: Double

    public init(id: ID, category: String, isExpansion: Bool = false, value: Double = 0) {
        self.id = id
        self.category = category
        self.isExpansion = isExpansion
        self.value = value
    }
}

/// One picked sample of a composed training set.
public struct ComposedSample<ID: Hashable & Sendable>: Sendable, Hashable {
    public var item: CurriculumItem<ID>
    /// Taken from the hard pool.
    public var isHard: Bool
    /// A second (or later) copy of an item already in the set: supply ran out.
    public var isRepeat: Bool
}

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

/// A composed training set and how close it came to the requested mix.
public struct CurriculumMix<ID: Hashable & Sendable>: Sendable {
    /// The samples, in a seeded shuffled order.
    public var samples: [ComposedSample<ID>]
    public var targetAlpha: Double
    public var requestedSize: Int
    /// Per category, taxonomy order first, then unknown categories by name.
    public var categories: [CategoryMix]

    public var hardCount: Int { samples.filter(\.isHard).count }
    public var repeatCount: Int { samples.filter(\.isRepeat).count }
    /// Achieved hard share (0 for an empty set).
    public var achievedAlpha: Double { samples.isEmpty ? 0 : Double(hardCount) / Double(samples.count) }
    /// Largest |achieved share − target share| over categories.
    public var maxShareError: Double {
        guard !samples.isEmpty else { return 0 }
        return categories.map { abs(Double($0.count) / Double(samples.count) - $0.targetShare) }.max() ?? 0
    }
}
