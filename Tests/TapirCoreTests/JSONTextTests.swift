import Foundation
import Testing
@testable import TapirCore

/// The exporter's hand-written JSON parses back, through Foundation's independent parser, to
/// exactly the strings that went in.
@Suite struct JSONTextTests {
    static let tricky = [
        "", "plain", "quote \" and backslash \\ and slash /", "line\nbreak\r\ntab\t", "\u{00}\u{01}\u{08}\u{0C}\u{1B}[31m\u{1F}",
        "naïve café 日本語 🦛 e\u{301}", "\u{2028}\u{2029}\u{FEFF}", "trailing backslash \\",
    ]

    @Test func stringsRoundTrip() throws {
        for text in Self.tricky {
            var out: [UInt8] = Array("[".utf8)
            JSONText.string(text, into: &out)
            out += Array("]".utf8)
            let parsed = try JSONSerialization.jsonObject(with: Data(out)) as? [String]
            #expect(parsed == [text], "\(String(decoding: out, as: UTF8.self))")
        }
    }

    /// Long strings with escapes at every offset of the eight-byte scan, and random mixes of
    /// plain bytes, escapes and multi-byte characters.
    @Test func stringsRoundTripAtEveryScanOffset() throws {
        var texts: [String] = []
        for special in ["\"", "\\", "\n", "\u{01}", "\u{1F}", "é", "🦛"] {
            for offset in 0..<20 { texts.append(String(repeating: "a", count: offset) + special + String(repeating: "b", count: 19 - offset)) }
        }
        var rng = SplitMix64(seed: 7)
        let pieces = ["abcdefgh", "x", "\"", "\\", "\t", "\u{00}", "\u{7F}", " ", "日本", "~", "\u{1B}[0m"]
        for _ in 0..<200 {
            texts.append((0..<Int(rng.next() % 40)).map { _ in pieces[Int(rng.next() % UInt64(pieces.count))] }.joined())
        }
        for text in texts {
            var out: [UInt8] = Array("[".utf8)
            JSONText.string(text, into: &out)
            out += Array("]".utf8)
            let parsed = try JSONSerialization.jsonObject(with: Data(out)) as? [String]
            #expect(parsed == [text], "\(String(decoding: out, as: UTF8.self))")
        }
    }

    /// The word test agrees with a byte-by-byte check.
    @Test func wordTestMatchesTheByteTest() {
        var rng = SplitMix64(seed: 3)
        let interesting: [UInt8] = [0x00, 0x1F, 0x20, 0x21, 0x22, 0x23, 0x5B, 0x5C, 0x5D, 0x7F, 0x80, 0xA2, 0xDC, 0xFF]
        for _ in 0..<20_000 {
            let bytes = (0..<8).map { _ in rng.next() % 3 == 0 ? UInt8(truncatingIfNeeded: rng.next()) : interesting[Int(rng.next() % UInt64(interesting.count))] }
            let word = bytes.enumerated().reduce(UInt64(0)) { $0 | UInt64($1.element) << (8 * UInt64($1.offset)) }
            let expected = bytes.contains { $0 < 0x20 || $0 == 0x22 || $0 == 0x5C }
            #expect(JSONText.needsEscape(word) == expected, "\(bytes)")
        }
    }

    @Test func exportedFilesParseBackToTheExamples() throws {
        let examples = Self.tricky.enumerated().map { index, text in
            TrainingExample(instruction: "Q\(index) \(text)", input: index.isMultiple(of: 2) ? text : "", output: "A \(text)")
        }
        let alpaca = try DatasetExporter.encode(examples, as: .alpaca)
        let array = try #require(try JSONSerialization.jsonObject(with: alpaca) as? [[String: String]])
        #expect(array.map { [$0["instruction"]!, $0["input"]!, $0["output"]!] } == examples.map { [$0.instruction, $0.input, $0.output] })
        #expect(try JSONSerialization.jsonObject(with: DatasetExporter.encode([], as: .alpaca)) as? [Any] != nil)
        for format in [ExportFormat.sharegpt, .messages] {
            let lines = String(decoding: try DatasetExporter.encode(examples, as: format), as: UTF8.self)
                .split(separator: "\n", omittingEmptySubsequences: false)
            #expect(lines.count == examples.count + 1 && lines.last == "")
            for (line, example) in zip(lines, examples) {
                let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: [[String: String]]])
                let turns = try #require(object[format == .sharegpt ? "conversations" : "messages"])
                let texts = turns.map { $0[format == .sharegpt ? "value" : "content"] }
                #expect(texts == [example.prompt, example.output])
            }
        }
    }
}
