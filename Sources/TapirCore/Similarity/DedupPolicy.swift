/// When a new instruction counts as a duplicate: the same normalised text, or ROUGE-L /
/// word n-gram Jaccard at or above a threshold against any existing text.
public struct DedupPolicy: Codable, Sendable, Hashable {
    /// ROUGE-L F1 at or above which a text is a near duplicate (Self-Instruct uses 0.7).
    public var rougeLThreshold: Double
    /// Word n-gram Jaccard at or above which a text is a near duplicate.
    public var ngramJaccardThreshold: Double

    public init(rougeLThreshold: Double = 0.7, ngramJaccardThreshold: Double = 0.6) {
        self.rougeLThreshold = rougeLThreshold
        self.ngramJaccardThreshold = ngramJaccardThreshold
    }

    /// The verdict on `text` against everything in `index`.
    public func verdict<ID>(for text: String, in index: NearDuplicateIndex<ID>) -> DedupVerdict<ID> {
        if let id = index.exactMatch(for: text) { return .exactDuplicate(of: id) }
        let near = index.nearest(to: text, limit: 1, minimumRougeL: rougeLThreshold, minimumJaccard: ngramJaccardThreshold)
        guard let best = near.first else { return .unique }
        return .nearDuplicate(of: best.id, similarity: best.similarity)
    }
}
