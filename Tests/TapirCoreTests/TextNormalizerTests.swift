import Testing
@testable import TapirCore

@Suite struct TextNormalizerTests {
    @Test func foldsCaseWidthAndWhitespace() {
        #expect(TextNormalizer.normalize("  Hello,\n\tWORLD  ") == "hello, world")
        #expect(TextNormalizer.normalize("ＡＢＣ　１２３") == "abc 123")  // full-width forms, ideographic space
        #expect(TextNormalizer.normalize("ﬁne") == "fine")  // ligature
        #expect(TextNormalizer.normalize("zero\u{200B}width\u{FEFF}") == "zerowidth")
        #expect(TextNormalizer.normalize("bell\u{07}") == "bell")
        #expect(TextNormalizer.normalize("\n \t") == "")
    }

    @Test func composesCombiningSequences() {
        // "é" precomposed vs e + combining acute normalise to the same text and hash.
        #expect(TextNormalizer.normalize("Caf\u{E9}") == TextNormalizer.normalize("Cafe\u{301}"))
        #expect(TextNormalizer.normalizedHash("Caf\u{E9}") == TextNormalizer.normalizedHash("CAFE\u{301} "))
    }

    @Test func hashIsSHA256OfNormalisedText() {
        #expect(TextNormalizer.normalizedHash("  ABC ") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(TextNormalizer.normalizedHash("Write a poem") != TextNormalizer.normalizedHash("Write a poem."))
    }
}

@Suite struct TextNormalizerFastPathTests {
    /// The ASCII fast paths must agree with the general Unicode paths: appending a non-ASCII
    /// word forces the general path without changing the ASCII part's result.
    @Test func asciiFastPathsMatchGeneralPaths() {
        var rng = SplitMix64(seed: 99)
        let alphabet = Array("aZ9 \t\n\r\u{0B}\u{0C}\u{01}\u{1F}\u{7F}.,!-_'\"<>")
        for _ in 0..<500 {
            let text = String((0..<rng.next(below: 40)).map { _ in alphabet[rng.next(below: alphabet.count)] })
            let fast = TextNormalizer.normalize(text)
            let general = TextNormalizer.normalize(text + " é")
            #expect(general == (fast.isEmpty ? "é" : fast + " é"))
            #expect(WordTokenizer.tokens(text) + ["é"] == WordTokenizer.tokens(text + " é"))
        }
    }
}
