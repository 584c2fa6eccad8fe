import TapirCore
import TapirStore

/// Serialises the expand stage's de-duplication: every candidate is checked against the
/// whole workspace (`ExpansionDeduplicator`, which also remembers earlier candidates of the
/// batch) and against the rejected expansions, which that index leaves out, so a rejected
/// text is never proposed again.
actor ExpandDeduplicationGate {
    private var deduplicator: ExpansionDeduplicator
    private var rejected: NearDuplicateIndex<Int64>
    private let policy: DedupPolicy

    init(deduplicator: ExpansionDeduplicator, rejectedTexts: [(id: Int64, text: String)], policy: DedupPolicy) {
        self.deduplicator = deduplicator
        self.policy = policy
        var index = NearDuplicateIndex<Int64>()
        for row in rejectedTexts { index.insert(id: row.id, text: row.text) }
        rejected = index
    }

    /// The verdict on a candidate and, for a unique one, its nearest stored neighbours.
    func check(_ text: String) -> (verdict: DedupVerdict<Int64>, nearest: [NearDuplicateMatch<Int64>]) {
        let rejectedVerdict = policy.verdict(for: text, in: rejected)
        if rejectedVerdict.isDuplicate { return (rejectedVerdict, []) }
        let nearest = deduplicator.nearest(to: text)
        let (verdict, _) = deduplicator.check(text)
        return (verdict, verdict.isDuplicate ? [] : nearest)
    }
}
