import Testing
@testable import TerminalUI

@Suite struct DisplayWidthTests {
    @Test(arguments: [
        ("a", 1), ("é", 1), ("e\u{301}", 1), ("字", 2), ("Ｆ", 2), ("한", 2), ("ｶ", 1),
        ("😀", 2), ("👍🏽", 2), ("👩‍💻", 2), ("👨‍👩‍👧‍👦", 2), ("🇩🇪", 2), ("❤", 1), ("❤️", 2),
        ("☺︎", 1), ("1️⃣", 2), ("\u{200B}", 0), ("\u{301}", 0), ("─", 1), ("█", 1), ("\u{1B}", 0),
    ])
    func graphemeWidth(_ text: String, _ expected: Int) {
        #expect(DisplayWidth.of(Character(text)) == expected, "\(text.unicodeScalars.map { String($0.value, radix: 16) })")
    }

    @Test func stringWidthSumsClusters() {
        #expect(DisplayWidth.of("abc") == 3)
        #expect(DisplayWidth.of("日本語 ok") == 9)
        #expect(DisplayWidth.of("cafe\u{301} 👩‍💻") == 7)
    }

    @Test func truncateAndPadByColumns() {
        #expect(TextLayout.truncate("日本語テキスト", width: 7) == "日本語…")
        #expect(TextLayout.pad("字", width: 4, alignment: .right) == "  字")
        #expect(DisplayWidth.of(TextLayout.pad("日本語テキスト", width: 6)) == 6)
    }

    @Test func wrapBreaksAtSpacesAndInsideLongWords() {
        #expect(TextLayout.wrap("the quick brown fox", width: 10) == ["the quick", "brown fox"])
        #expect(TextLayout.wrap("abcdefghij", width: 4) == ["abcd", "efgh", "ij"])
        #expect(TextLayout.wrap("日本語日本語", width: 5) == ["日本", "語日", "本語"])
        #expect(TextLayout.wrap("a\n\nb", width: 3) == ["a", "", "b"])
    }

    @Test func tabsExpandToStops() {
        #expect(TextLayout.expandTabs("a\tb", tabWidth: 4) == "a   b")
        #expect(TextLayout.expandTabs("字\tb", tabWidth: 4) == "字  b")
    }
}
