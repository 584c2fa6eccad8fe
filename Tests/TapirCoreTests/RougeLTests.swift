import Testing
@testable import TapirCore

/// Expected values are hand-computed and match scripts/reference/core_reference.py.
@Suite struct RougeLTests {
    private func words(_ text: String) -> [String] { text.split(separator: " ").map(String.init) }

    @Test func handComputedLCS() {
        #expect(RougeL.lcsLength(Array("ABCBDAB"), Array("BDCABA")) == 4)  // CLRS example
        #expect(RougeL.lcsLength(Array("AGGTAB"), Array("GXTXAYB")) == 4)
        #expect(RougeL.lcsLength(words("a b c d e f"), words("b d f a c e")) == 3)
        #expect(RougeL.lcsLength([Int](), [1, 2]) == 0)
        #expect(RougeL.lcsLength([1, 2, 3], [1, 2, 3]) == 3)
    }

    @Test func referenceScores() {
        let s1 = RougeL.score(candidate: words("police killed the gunman"), reference: words("police kill the gunman"))
        #expect(s1.precision == 0.75 && s1.recall == 0.75 && s1.fMeasure == 0.75)
        let s2 = RougeL.score(candidate: words("the gunman kill police"), reference: words("police kill the gunman"))
        #expect(s2.fMeasure == 0.5)
        let s3 = RougeL.score(
            candidate: words("write a short poem about the sea"), reference: words("write a long poem about the blue sea"))
        #expect(abs(s3.precision - 6.0 / 7) < 1e-12)
        #expect(abs(s3.recall - 0.75) < 1e-12)
        #expect(abs(s3.fMeasure - 0.8) < 1e-12)
        #expect(RougeL.score(candidate: words("x y z"), reference: words("a b c")).fMeasure == 0)
    }

    @Test func earlyExitAgreesWithFullComputation() {
        var rng = SplitMix64(seed: 7)
        for _ in 0..<300 {
            let a = (0..<Int(rng.next() % 30)).map { _ in rng.next() % 6 }
            let b = (0..<Int(rng.next() % 30)).map { _ in rng.next() % 6 }
            let full = RougeL.lcsLength(a, b)
            for minimum in [0, 1, full, full + 1, 40] {
                let bounded = RougeL.lcsLength(a, b, atLeast: minimum)
                if full >= minimum { #expect(bounded == full) } else { #expect(bounded == nil) }
            }
        }
    }

    @Test func textLevelIgnoresCaseAndPunctuation() {
        #expect(RougeL.fMeasure("Police killed the gunman.", "police KILL the gunman") == 0.75)
    }
}
