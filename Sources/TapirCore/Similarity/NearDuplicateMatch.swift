/// One existing text that resembles a candidate.
public struct NearDuplicateMatch<ID: Hashable & Sendable>: Sendable, Hashable {
    /// The id the text was inserted under.
    public var id: ID
    /// ROUGE-L F1 between candidate and this text.
    public var rougeL: Double
    /// Jaccard similarity of their word n-gram sets.
    public var ngramJaccard: Double
    /// True when both normalise to the same text.
    public var isExact: Bool

    /// The larger of the two similarities (1 for an exact match): the ranking key.
    public var similarity: Double { isExact ? 1 : max(rougeL, ngramJaccard) }
}
