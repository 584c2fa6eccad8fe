import Testing
@testable import TapirCore

/// Expected values match scripts/reference/core_reference.py.
@Suite struct NGramJaccardTests {
    private func words(_ text: String) -> [String] { text.split(separator: " ").map(String.init) }

    @Test func referenceValues() {
        // Unigrams {the cat sat on mat} vs {the cat sat on a mat}: 5 / 6.
        #expect(abs(NGramJaccard.similarity(words("the cat sat on the mat"), words("the cat sat on a mat"), n: 1) - 5.0 / 6) < 1e-12)
        // Bigrams: shared {the cat, cat sat, sat on} = 3, union 7.
        #expect(abs(NGramJaccard.similarity(words("the cat sat on the mat"), words("the cat sat on a mat"), n: 2) - 3.0 / 7) < 1e-12)
        #expect(NGramJaccard.similarity(words("a b c d"), words("a b c d"), n: 3) == 1)
        #expect(NGramJaccard.similarity(words("a b"), words("a b c"), n: 3) == 0)
        #expect(NGramJaccard.similarity([String](), [String](), n: 2) == 1)
        #expect(NGramJaccard.similarity(words("a"), [String](), n: 2) == 0)
    }

    @Test func hashedSetsAgreeWithStringSets() {
        var rng = SplitMix64(seed: 11)
        for _ in 0..<200 {
            let a = (0..<Int(rng.next() % 12)).map { _ in UInt32(rng.next() % 5) }
            let b = (0..<Int(rng.next() % 12)).map { _ in UInt32(rng.next() % 5) }
            for n in 1...3 {
                let hashed = NGramJaccard.sortedSetSimilarity(
                    TokenSimilarityIndex.gramSet(a, n: n), TokenSimilarityIndex.gramSet(b, n: n))
                let reference = NGramJaccard.similarity(a, b, n: n)
                // The index pads short sequences the same way as the plain measure.
                #expect(abs(hashed - reference) < 1e-12)
            }
        }
    }
}
