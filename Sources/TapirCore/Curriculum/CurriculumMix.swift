/// A composed training set and how close it came to the requested mix.
public struct CurriculumMix<ID: Hashable & Sendable>: Sendable {
    /// The samples, in a seeded shuffled order.
    public var samples: [ComposedSample<ID>]
    public var targetAlpha: Double
    public var requestedSize: Int
    /// Per category, taxonomy order first, then unknown categories by name.
    public var categories: [CategoryMix]

    public var hardCount: Int { samples.reduce(0) { $1.isHard ? $0 + 1 : $0 } }
    public var repeatCount: Int { samples.reduce(0) { $1.isRepeat ? $0 + 1 : $0 } }
    /// Achieved hard share (0 for an empty set).
    public var achievedAlpha: Double { samples.isEmpty ? 0 : Double(hardCount) / Double(samples.count) }
    /// Largest |achieved share − target share| over categories.
    public var maxShareError: Double {
        guard !samples.isEmpty else { return 0 }
        return categories.map { abs(Double($0.count) / Double(samples.count) - $0.targetShare) }.max() ?? 0
    }
}
