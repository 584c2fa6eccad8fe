import Foundation
import TapirCore
import TapirStore

/// Serialises the expand stage's de-duplication: every candidate is checked against the
/// whole workspace (`ExpansionDeduplicator`, which also remembers earlier candidates of the
/// batch) and against the rejected expansions, which that index leaves out, so a rejected
/// text is never proposed again.
///
/// A candidate that passed is indexed under a provisional id until the stage reports the
/// instruction id it was stored under (`stored(provisionalID:as:)`); neighbours are reported
/// with that id, exactly as a restarted stage (whose index was read from the store) would.
/// Synchronous and locked, so the stage can check each candidate inside the transaction
/// that stores it.
final class ExpandDeduplicationGate: @unchecked Sendable {
    private let lock = NSLock()
    private var deduplicator: ExpansionDeduplicator
    private var rejected: NearDuplicateIndex<Int64>
    private let policy: DedupPolicy
    private var storedIDs: [Int64: Int64] = [:]

    init(deduplicator: ExpansionDeduplicator, rejectedTexts: [(id: Int64, text: String)], policy: DedupPolicy) {
        self.deduplicator = deduplicator
        self.policy = policy
        var index = NearDuplicateIndex<Int64>()
        for row in rejectedTexts { index.insert(id: row.id, text: row.text) }
        rejected = index
    }

    /// The verdict on a candidate and, for a unique one, its nearest stored neighbours and
    /// the provisional id it is indexed under.
    func check(_ text: String) -> (verdict: DedupVerdict<Int64>, nearest: [NearDuplicateMatch<Int64>], provisionalID: Int64?) {
        lock.lock()
        defer { lock.unlock() }
        let rejectedVerdict = policy.verdict(for: text, in: rejected)
        if rejectedVerdict.isDuplicate { return (rejectedVerdict, [], nil) }
        let nearest = deduplicator.nearest(to: text).map { match in
            var match = match
            match.id = storedIDs[match.id] ?? match.id
            return match
        }
        let (verdict, provisional) = deduplicator.check(text)
        let resolved: DedupVerdict<Int64> = switch verdict {
        case .unique: .unique
        case let .exactDuplicate(of: id): .exactDuplicate(of: storedIDs[id] ?? id)
        case let .nearDuplicate(of: id, similarity): .nearDuplicate(of: storedIDs[id] ?? id, similarity: similarity)
        }
        return (resolved, verdict.isDuplicate ? [] : nearest, provisional)
    }

    /// The candidate indexed under `provisionalID` was stored as instruction `id`.
    func stored(provisionalID: Int64, as id: Int64) {
        lock.withLock { storedIDs[provisionalID] = id }
    }
}
