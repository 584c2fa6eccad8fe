import Testing
@testable import TapirCore

@Suite struct WordTokenizerTests {
    @Test func splitsOnPunctuationAndSpace() {
        #expect(WordTokenizer.tokens("Hello, world! x=42; foo_bar") == ["Hello", "world", "x", "42", "foo", "bar"])
        #expect(WordTokenizer.tokens("") == [])
        #expect(WordTokenizer.tokens("  ...  ") == [])
    }

    @Test func keepsNonLatinWordsWhole() {
        #expect(WordTokenizer.tokens("Привет мир") == ["Привет", "мир"])
        #expect(WordTokenizer.tokens("naïve café") == ["naïve", "café"])
        #expect(WordTokenizer.tokens("e\u{301}te\u{301}") == ["e\u{301}te\u{301}"])
        #expect(WordTokenizer.tokens("안녕 하세요") == ["안녕", "하세요"])
    }

    @Test func cjkCharactersAreSingleTokens() {
        #expect(WordTokenizer.tokens("我爱北京") == ["我", "爱", "北", "京"])
        #expect(WordTokenizer.tokens("日本語のテスト abc") == ["日", "本", "語", "の", "テ", "ス", "ト", "abc"])
        #expect(WordTokenizer.tokens("GPT模型2") == ["GPT", "模", "型", "2"])
    }

    @Test func normalizerTokensAreLowercase() {
        #expect(TextNormalizer.tokens("The CAT, the Hat") == ["the", "cat", "the", "hat"])
    }
}
