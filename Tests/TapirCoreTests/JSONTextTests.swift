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
