import Testing
@testable import TapirCore

@Suite struct NearDuplicateIndexTests {
    @Test func findsExactAndNearDuplicates() {
        var index = NearDuplicateIndex<Int>()
        index.insert(id: 1, text: "Write a short poem about the sea.")
        index.insert(id: 2, text: "Explain how photosynthesis works in plants.")
        index.insert(id: 3, text: "Write a long poem about the blue sea")
        #expect(index.count == 3)
        #expect(index.exactMatch(for: "  write a SHORT poem about the sea. ") == 1)
        #expect(index.exactMatch(for: "write a poem") == nil)

        let near = index.nearest(to: "write a short poem about the SEA.", limit: 5)
        #expect(near.map(\.id) == [1, 3])
        #expect(near[0].isExact && near[0].similarity == 1)
        #expect(abs(near[1].rougeL - 0.8) < 1e-12)

        // Punctuation is kept by normalisation: not exact, but ROUGE-L 1.
        #expect(index.nearest(to: "write a short poem about the sea", limit: 1).first?.isExact == false)
        #expect(index.nearest(to: "write a short poem about the sea", limit: 1).first?.rougeL == 1)
        #expect(index.nearest(to: "Describe the French revolution", limit: 5).isEmpty)
        #expect(index.nearest(to: "", limit: 5).isEmpty)
    }

    @Test func policyVerdicts() {
        var index = NearDuplicateIndex<String>()
        index.insert(id: "a", text: "Write a short poem about the sea.")
        index.insert(id: "b", text: "List three prime numbers greater than one hundred.")
        let policy = DedupPolicy(rougeLThreshold: 0.7, ngramJaccardThreshold: 0.6)
        #expect(policy.verdict(for: "WRITE a short poem about the sea.", in: index) == .exactDuplicate(of: "a"))
        #expect(policy.verdict(for: "Write a long poem about the blue sea", in: index) == .nearDuplicate(of: "a", similarity: 0.8))
        #expect(policy.verdict(for: "Name the capital of Peru.", in: index) == .unique)
        #expect(!DedupVerdict<String>.unique.isDuplicate)
        #expect(DedupVerdict<String>.exactDuplicate(of: "a").isDuplicate)
    }

    /// The inverted-index prefilter must never lose a text that reaches a threshold.
    @Test func matchesBruteForceOnRandomCorpora() {
        var rng = SplitMix64(seed: 2024)
        let vocabulary = (0..<25).map { "w\($0)" }
        func sentence() -> String {
            let length = 1 + Int(rng.next() % 14)
            // Skewed word choice so some words are common and others rare.
            return (0..<length).map { _ in vocabulary[Int(rng.next() % 5 + (rng.next() % 3 == 0 ? rng.next() % 20 : 0))] }
                .joined(separator: " ")
        }
        for trial in 0..<12 {
            var index = NearDuplicateIndex<Int>(ngramSize: 1 + trial % 3, maxTokens: 10)
            var corpus: [[String]] = []
            for id in 0..<150 {
                let text = sentence()
                index.insert(id: id, text: text)
                corpus.append(Array(TextNormalizer.tokens(text).prefix(10)))
            }
            for _ in 0..<30 {
                let query = sentence()
                let tokens = Array(TextNormalizer.tokens(query).prefix(10))
                let rougeT = [0.3, 0.5, 0.7, 0.9][Int(rng.next() % 4)]
                let jaccardT = [0.2, 0.4, 0.6, 1.0][Int(rng.next() % 4)]
                let found = index.nearest(to: query, limit: 1000, minimumRougeL: rougeT, minimumJaccard: jaccardT)
                var expected: Set<Int> = []
                for (id, document) in corpus.enumerated() {
                    let rouge = RougeL.score(candidate: tokens, reference: document).fMeasure
                    let jaccard = NGramJaccard.similarity(tokens, document, n: index.ngramSize)
                    if document == tokens || rouge >= rougeT - 1e-12 || jaccard >= jaccardT - 1e-12 { expected.insert(id) }
                }
                let exactIDs = Set(found.filter(\.isExact).map(\.id))
                #expect(exactIDs.count <= 1)
                // Every exact twin except the first-inserted one is reported as a near match (similarity 1).
                #expect(Set(found.map(\.id)) == expected)
                #expect(zip(found, found.dropFirst()).allSatisfy { $0.similarity >= $1.similarity })
            }
        }
    }
}
