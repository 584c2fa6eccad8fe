import CNcursesw
import Testing
import TerminalUI
@testable import CursesBackend

@Suite struct KeyDecoderTests {
    @Test func functionKeyCodes() {
        #expect(KeyDecoder.decode(keyCode: KEY_UP) == .up)
        #expect(KeyDecoder.decode(keyCode: KEY_NPAGE) == .pageDown)
        #expect(KeyDecoder.decode(keyCode: KEY_BTAB) == .backTab)
        #expect(KeyDecoder.decode(keyCode: tapir_key_f(5)) == .function(5))
        #expect(KeyDecoder.decode(keyCode: KEY_BACKSPACE) == .backspace)
    }

    @Test func characters() {
        #expect(KeyDecoder.decode(character: 0x6A) == .char("j"))
        #expect(KeyDecoder.decode(character: 0x04) == .ctrl("d"))
        #expect(KeyDecoder.decode(character: 0x15) == .ctrl("u"))
        #expect(KeyDecoder.decode(character: 0x0D) == .enter)
        #expect(KeyDecoder.decode(character: 0x09) == .tab)
        #expect(KeyDecoder.decode(character: 0x1B) == .escape)
        #expect(KeyDecoder.decode(character: 0x7F) == .backspace)
        #expect(KeyDecoder.decode(character: 0x5B57) == .char("字"))
    }

    @Test func cellCharactersKeepCombiningMarksAndDropJoinedGlyphs() {
        #expect(CursesTerminal.cellCharacters("e\u{301}").map { UInt32(bitPattern: $0) } == [0x65, 0x301])
        #expect(CursesTerminal.cellCharacters("❤️").map { UInt32(bitPattern: $0) } == [0x2764, 0xFE0F])
        #expect(CursesTerminal.cellCharacters("👩‍💻").map { UInt32(bitPattern: $0) } == [0x1F469])
        #expect(CursesTerminal.cellCharacters("").map { UInt32(bitPattern: $0) } == [0x20])
    }
}

@Suite struct ColorPairTableTests {
    @Test func allocatesOnceAndSharesDefaults() {
        var t = ColorPairTable(depth: .ansi256, maxPairs: 256)
        #expect(t.pair(for: .plain) == 0)
        let a = t.pair(for: Style(foreground: .indexed(200), background: .indexed(17)))
        let b = t.pair(for: Style(foreground: .red))
        #expect(a == 1 && b == 2)
        #expect(t.pair(for: Style(foreground: .indexed(200), background: .indexed(17), attributes: .bold)) == 1)
        let pending = t.takePending()
        #expect(pending.map(\.pair) == [1, 2])
        #expect(pending[0].key == .init(foreground: 200, background: 17))
        #expect(pending[1].key == .init(foreground: 1, background: -1))
        #expect(t.takePending().isEmpty)
    }

    @Test func sixteenColourDepthMapsDown() {
        var t = ColorPairTable(depth: .sixteen, maxPairs: 64)
        _ = t.pair(for: Style(foreground: .indexed(196), background: .indexed(21)))
        #expect(t.takePending().first?.key == .init(foreground: 9, background: 4))
    }

    @Test func noColourUsesPairZeroAndExhaustionFallsBack() {
        var none = ColorPairTable(depth: .none, maxPairs: 256)
        #expect(none.pair(for: Style(foreground: .red)) == 0)
        var small = ColorPairTable(depth: .ansi256, maxPairs: 3)
        #expect(small.pair(for: Style(foreground: .red)) == 1)
        #expect(small.pair(for: Style(foreground: .green)) == 2)
        #expect(small.pair(for: Style(foreground: .blue)) == 0)
    }
}
