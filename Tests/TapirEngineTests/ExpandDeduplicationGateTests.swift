import Testing
@testable import TapirCore
@testable import TapirEngine

/// The gate's split check (workspace part computed first, possibly before earlier candidates
/// were accepted; then the stage's own candidates) gives the verdicts and neighbour lists of
/// one index holding the workspace texts followed by every accepted candidate.
@Suite struct ExpandDeduplicationGateTests {
    /// The reference: one index over everything, checked one candidate at a time.
    struct CombinedReference {
        var policy: DedupPolicy
        var combined = NearDuplicateIndex<Int64>()
        var rejected = NearDuplicateIndex<Int64>()
        var nextProvisionalID: Int64 = -1
        var storedIDs: [Int64: Int64] = [:]

        mutating func check(_ text: String) -> (verdict: DedupVerdict<Int64>, nearest: [NearDuplicateMatch<Int64>], provisionalID: Int64?) {
            let rejectedVerdict = policy.verdict(for: text, in: rejected)
            if rejectedVerdict.isDuplicate { return (rejectedVerdict, [], nil) }
            let nearest = combined.nearest(to: text, limit: 3, minimumRougeL: 0.3, minimumJaccard: 0.3).map { match in
                var match = match
                match.id = storedIDs[match.id] ?? match.id
                return match
            }
            let verdict: DedupVerdict<Int64> = switch policy.verdict(for: text, in: combined) {
            case .unique: .unique
            case let .exactDuplicate(of: id): .exactDuplicate(of: storedIDs[id] ?? id)
            case let .nearDuplicate(of: id, similarity): .nearDuplicate(of: storedIDs[id] ?? id, similarity: similarity)
            }
            guard case .unique = verdict else { return (verdict, [], nil) }
            let id = nextProvisionalID
            nextProvisionalID -= 1
            combined.insert(id: id, text: text)
            return (verdict, nearest, id)
        }
    }

    static let words = ["write", "a", "short", "poem", "about", "the", "sea", "explain", "how", "gears", "trade", "force",
                        "for", "speed", "list", "three", "causes", "of", "rain", "sort", "numbers", "in", "python", "why"]

    static func sentence(_ rng: inout SplitMix64, length: Int) -> [String] {
        (0..<length).map { _ in words[Int(rng.next() % UInt64(words.count))] }
    }

    /// Candidates: fresh sentences, edits of workspace texts and of earlier candidates
    /// (near duplicates at every similarity), exact copies with other case and punctuation.
    static func candidates(from workspace: [[String]], count: Int, rng: inout SplitMix64) -> [String] {
        var pool = workspace
        var texts: [String] = []
        for _ in 0..<count {
            var words: [String]
            switch rng.next() % 4 {
            case 0: words = sentence(&rng, length: 4 + Int(rng.next() % 10))
            case 1, 2:
                words = pool[Int(rng.next() % UInt64(pool.count))]
                for _ in 0..<Int(rng.next() % 4) {
                    let position = Int(rng.next() % UInt64(words.count))
                    if rng.next() % 2 == 0 { words[position] = Self.words[Int(rng.next() % UInt64(Self.words.count))] } else { words.remove(at: position) }
                    if words.isEmpty { words = ["empty"] }
                }
            default:
                words = pool[Int(rng.next() % UInt64(pool.count))]
            }
            pool.append(words)
            let text = words.joined(separator: " ")
            texts.append(rng.next() % 3 == 0 ? text.uppercased() + "!" : text)
        }
        return texts
    }

    @Test(arguments: [(UInt64(1), 0.7, 0.6), (2, 0.5, 0.4), (3, 0.9, 0.8), (4, 0.35, 0.3)])
    func splitCheckEqualsOneCombinedIndex(seed: UInt64, rouge: Double, jaccard: Double) {
        var rng = SplitMix64(seed: seed)
        let policy = DedupPolicy(rougeLThreshold: rouge, ngramJaccardThreshold: jaccard)
        let workspaceWords = (0..<300).map { _ in Self.sentence(&rng, length: 3 + Int(rng.next() % 12)) }
        var workspace = NearDuplicateIndex<Int64>()
        var reference = CombinedReference(policy: policy)
        for (offset, words) in workspaceWords.enumerated() {
            workspace.insert(id: Int64(offset + 1), text: words.joined(separator: " "))
            reference.combined.insert(id: Int64(offset + 1), text: words.joined(separator: " "))
        }
        let rejected = (0..<20).map { (id: Int64(10_000 + $0), text: Self.sentence(&rng, length: 6).joined(separator: " ")) }
        for row in rejected { reference.rejected.insert(id: row.id, text: row.text) }
        let gate = ExpandDeduplicationGate(workspace: workspace, rejectedTexts: rejected, policy: policy)

        var texts = Self.candidates(from: workspaceWords, count: 400, rng: &rng)
        texts += rejected.prefix(5).map(\.text)
        // Prechecks first, as when replies arrive before earlier ones are applied.
        let prechecks = texts.map { gate.precheck($0) }
        var verdicts: [String: Int] = [:]
        for (text, precheck) in zip(texts, prechecks) {
            let got = gate.check(text, precheck: precheck)
            let expected = reference.check(text)
            #expect(got.verdict == expected.verdict, "\(text)")
            #expect(got.nearest == expected.nearest, "\(text)")
            #expect(got.provisionalID == expected.provisionalID)
            if let provisional = got.provisionalID, rng.next() % 2 == 0 {
                // Stored under a real id: later matches must name it in both.
                let stored = 50_000 - provisional
                gate.stored(provisionalID: provisional, as: stored)
                reference.storedIDs[provisional] = stored
            }
            verdicts[String(describing: got.verdict).prefix(4).description, default: 0] += 1
        }
        // The candidates exercised every verdict.
        #expect(verdicts.count == 3, "\(verdicts)")
    }

    @Test func mergeKeepsTheFirstListAheadOnTies() {
        func match(_ id: Int64, _ similarity: Double) -> NearDuplicateMatch<Int64> {
            NearDuplicateMatch(id: id, rougeL: similarity, ngramJaccard: 0, isExact: false)
        }
        let merged = ExpandDeduplicationGate.merged([match(1, 0.9), match(2, 0.5)], [match(-1, 0.9), match(-2, 0.6)], limit: 3)
        #expect(merged.map(\.id) == [1, -1, -2])
        #expect(ExpandDeduplicationGate.merged([], [match(-1, 0.4)], limit: 3).map(\.id) == [-1])
    }
}
