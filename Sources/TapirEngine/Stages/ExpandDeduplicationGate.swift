import Foundation
import TapirCore
import TapirStore

/// Serialises the expand stage's de-duplication: every candidate is checked against the
/// whole workspace as it was when the stage began, against the rejected expansions (which
/// that index leaves out, so a rejected text is never proposed again), and against the
/// candidates this stage accepted before it.
///
/// The check is split in two so that the costly part runs while other model calls are in
/// flight: `precheck(_:)` queries the indexes read at the start, which never change, and may
/// run on any task as soon as a reply arrives; `check(_:precheck:)` adds the stage's own
/// accepted candidates (a small index) under a lock, inside the transaction that stores the
/// candidate, in plan order. The verdict and the nearest neighbours equal those of one index
/// holding both parts (workspace texts inserted first): matches are merged by similarity,
/// workspace texts first on ties.
///
/// A candidate that passed is indexed under a provisional id until the stage reports the
/// instruction id it was stored under (`stored(provisionalID:as:)`); neighbours are reported
/// with that id, exactly as a restarted stage (whose index was read from the store) would.
final class ExpandDeduplicationGate: @unchecked Sendable {
    /// What a candidate's check found among the texts stored before the stage began.
    struct Precheck: Sendable {
        /// Verdict against the rejected expansions.
        var rejected: DedupVerdict<Int64>
        /// The first workspace text with the same normalised form.
        var exact: Int64?
        /// The most similar workspace text at or above the policy's thresholds.
        var near: NearDuplicateMatch<Int64>?
        /// Up to `nearestLimit` workspace texts at or above `nearestMinimum` (review screen).
        var nearest: [NearDuplicateMatch<Int64>]
    }

    /// Neighbours listed with a stored expansion, and the similarity they must reach.
    static let nearestLimit = 3
    static let nearestMinimum = 0.3

    private let workspace: NearDuplicateIndex<Int64>
    private let rejected: NearDuplicateIndex<Int64>
    private let policy: DedupPolicy
    private let lock = NSLock()
    private var accepted: NearDuplicateIndex<Int64>
    private var nextProvisionalID: Int64 = -1
    private var storedIDs: [Int64: Int64] = [:]

    /// `workspace`: every instruction that is not rejected (`ExpansionDeduplicator.workspaceIndex`);
    /// `rejectedTexts`: the rejected expansions, by their text and their original text.
    init(workspace: NearDuplicateIndex<Int64>, rejectedTexts: [(id: Int64, text: String)], policy: DedupPolicy) {
        self.workspace = workspace
        self.policy = policy
        var index = NearDuplicateIndex<Int64>(ngramSize: workspace.ngramSize, maxTokens: workspace.maxTokens)
        for row in rejectedTexts { index.insert(id: row.id, text: row.text) }
        rejected = index
        accepted = NearDuplicateIndex(ngramSize: workspace.ngramSize, maxTokens: workspace.maxTokens)
    }

    /// The part of the check that reads only what was stored before the stage began; safe to
    /// run concurrently with anything else the gate does.
    func precheck(_ text: String) -> Precheck {
        let rejectedVerdict = policy.verdict(for: text, in: rejected)
        if rejectedVerdict.isDuplicate { return Precheck(rejected: rejectedVerdict, exact: nil, near: nil, nearest: []) }
        let exact = workspace.exactMatch(for: text)
        let near = exact != nil ? nil : workspace.nearest(
            to: text, limit: 1, minimumRougeL: policy.rougeLThreshold, minimumJaccard: policy.ngramJaccardThreshold).first
        let nearest = workspace.nearest(
            to: text, limit: Self.nearestLimit, minimumRougeL: Self.nearestMinimum, minimumJaccard: Self.nearestMinimum)
        return Precheck(rejected: rejectedVerdict, exact: exact, near: near, nearest: nearest)
    }

    /// The verdict on a candidate whose `precheck` was computed, and, for a unique one, its
    /// nearest stored neighbours and the provisional id it is now indexed under.
    func check(_ text: String, precheck: Precheck) -> (verdict: DedupVerdict<Int64>, nearest: [NearDuplicateMatch<Int64>], provisionalID: Int64?) {
        lock.lock()
        defer { lock.unlock() }
        if precheck.rejected.isDuplicate { return (precheck.rejected, [], nil) }
        let verdict: DedupVerdict<Int64>
        if let id = precheck.exact ?? accepted.exactMatch(for: text).map(resolved) {
            verdict = .exactDuplicate(of: id)
        } else {
            let own = accepted.nearest(to: text, limit: 1, minimumRougeL: policy.rougeLThreshold,
                                       minimumJaccard: policy.ngramJaccardThreshold).map(resolved)
            if let best = Self.merged(precheck.near.map { [$0] } ?? [], own, limit: 1).first {
                verdict = .nearDuplicate(of: best.id, similarity: best.similarity)
            } else {
                verdict = .unique
            }
        }
        guard case .unique = verdict else { return (verdict, [], nil) }
        let own = accepted.nearest(to: text, limit: Self.nearestLimit, minimumRougeL: Self.nearestMinimum,
                                   minimumJaccard: Self.nearestMinimum).map(resolved)
        let nearest = Self.merged(precheck.nearest, own, limit: Self.nearestLimit)
        let id = nextProvisionalID
        nextProvisionalID -= 1
        accepted.insert(id: id, text: text)
        return (verdict, nearest, id)
    }

    /// The candidate indexed under `provisionalID` was stored as instruction `id`.
    func stored(provisionalID: Int64, as id: Int64) {
        lock.withLock { storedIDs[provisionalID] = id }
    }

    /// Two match lists, each most similar first, merged as one index holding `first`'s texts
    /// before `second`'s would list them: by similarity, `first` ahead on ties.
    static func merged(_ first: [NearDuplicateMatch<Int64>], _ second: [NearDuplicateMatch<Int64>], limit: Int) -> [NearDuplicateMatch<Int64>] {
        var result: [NearDuplicateMatch<Int64>] = []
        var i = first.startIndex, j = second.startIndex
        while result.count < limit, i < first.endIndex || j < second.endIndex {
            if j == second.endIndex || (i < first.endIndex && first[i].similarity >= second[j].similarity) {
                result.append(first[i]); i += 1
            } else {
                result.append(second[j]); j += 1
            }
        }
        return result
    }

    private func resolved(_ id: Int64) -> Int64 { storedIDs[id] ?? id }

    private func resolved(_ match: NearDuplicateMatch<Int64>) -> NearDuplicateMatch<Int64> {
        var match = match
        match.id = resolved(match.id)
        return match
    }
}
