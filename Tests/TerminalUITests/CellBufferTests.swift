import Testing
@testable import TerminalUI

@Suite struct CellBufferTests {
    @Test func writeClipsToRect() {
        var b = CellBuffer(width: 10, height: 2)
        b.write("hello world", x: 2, y: 0, style: .plain, clip: Rect(x: 2, y: 0, width: 5, height: 1))
        #expect(b.plainText() == "  hello\n")
    }

    @Test func wideCharsOccupyTwoCells() {
        var b = CellBuffer(width: 6, height: 1)
        let end = b.write("a字b", x: 0, y: 0, style: .plain)
        #expect(end == 4)
        #expect(b[1, 0].width == 2)
        #expect(b[2, 0].isContinuation)
        #expect(b.plainText() == "a字b")
    }

    @Test func wideCharThatDoesNotFitBecomesSpace() {
        var b = CellBuffer(width: 3, height: 1)
        b.write("ab字", x: 0, y: 0, style: .plain)
        #expect(b.plainText() == "ab")
        #expect(b[2, 0].width == 1)
    }

    @Test func overwritingHalfOfWideCharBlanksOtherHalf() {
        var b = CellBuffer(width: 4, height: 1)
        b.write("字字", x: 0, y: 0, style: .plain)
        b.write("x", x: 1, y: 0, style: .plain)
        #expect(b.plainText() == " x字")
        #expect(b[0, 0].width == 1)
    }

    @Test func combiningMarksAttachToPreviousCell() {
        var b = CellBuffer(width: 5, height: 1)
        b.write("e\u{301}x", x: 0, y: 0, style: .plain)
        #expect(b[0, 0].grapheme == "e\u{301}")
        #expect(b[1, 0].grapheme == "x")
        b.write("\u{301}", x: 3, y: 0, style: .plain)
        #expect(b[3, 0].grapheme == "\u{25CC}\u{301}")
    }

    @Test func controlCharactersAreNeutralisedOnWrite() {
        var b = CellBuffer(width: 20, height: 1)
        b.write("a\u{1B}[31mb\u{7}", x: 0, y: 0, style: .plain)
        #expect(b.plainText() == "a␛[31mb␇")
        #expect(b.cells.allSatisfy { $0.grapheme.unicodeScalars.allSatisfy { $0.value >= 0x20 } })
    }

    @Test func diffReportsOnlyChangedRuns() {
        var a = CellBuffer(width: 10, height: 3)
        a.write("same line", x: 0, y: 0, style: .plain)
        var b = a
        b.write("XY", x: 3, y: 1, style: .plain)
        b.write("Z", x: 9, y: 2, style: Style(foreground: .red))
        let runs = b.diff(from: a)
        #expect(runs.count == 2)
        #expect(runs[0].x == 3 && runs[0].y == 1 && runs[0].cells.map(\.grapheme) == ["X", "Y"])
        #expect(runs[1].x == 9 && runs[1].y == 2 && runs[1].cells[0].style.foreground == .red)
        #expect(b.diff(from: b).isEmpty)
    }

    @Test func diffIncludesBothHalvesOfWideChars() {
        let a = CellBuffer(width: 6, height: 1)
        var b = a
        b.write("字", x: 2, y: 0, style: .plain)
        let runs = b.diff(from: a)
        #expect(runs.count == 1)
        #expect(runs[0].x == 2 && runs[0].cells.count == 2)
    }

    @Test func diffAgainstDifferentSizeRepaintsAll() {
        let a = CellBuffer(width: 4, height: 2)
        let b = CellBuffer(width: 5, height: 2)
        #expect(b.diff(from: a).count == 2)
        #expect(b.diff(from: nil).map(\.cells.count) == [5, 5])
    }

    @Test func styleOfWrittenCells() {
        var b = CellBuffer(width: 4, height: 1)
        let s = Style(foreground: .indexed(200), background: .blue, attributes: .bold)
        b.write("ab", x: 1, y: 0, style: s)
        #expect(b[1, 0].style == s)
        #expect(b[0, 0].style == .plain)
    }
}
