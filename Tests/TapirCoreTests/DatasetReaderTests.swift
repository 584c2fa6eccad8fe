import Foundation
import Testing
@testable import TapirCore

@Suite("Dataset reading")
struct DatasetReaderTests {
    func temp(_ name: String, _ bytes: Data) throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("tapir-core-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let url = dir.appendingPathComponent(name)
        try bytes.write(to: url)
        return url
    }

    func readAll(_ url: URL, reader: DatasetReader = DatasetReader()) throws -> (records: [DatasetRecord], issues: [DatasetIssue]) {
        var records: [DatasetRecord] = []
        var issues: [DatasetIssue] = []
        try reader.read(url) { result in
            switch result {
            case let .success(r): records.append(r)
            case let .failure(i): issues.append(i)
            }
        }
        return (records, issues)
    }

    @Test func alpacaJSONArray() throws {
        let url = try temp("a.json", Data("""
            [
              {"instruction": "Name a colour, please [really]", "input": "", "output": "Blue", "category": "Others"},
              {"instruction": "Sum", "input": "2, 3", "output": "5"},
              {"instruction": "Quote \\"this\\" {not an object}", "output": null}
            ]
            """.utf8))
        let (records, issues) = try readAll(url)
        #expect(issues.isEmpty)
        #expect(records.map(\.instruction) == ["Name a colour, please [really]", "Sum", "Quote \"this\" {not an object}"])
        #expect(records[1].input == "2, 3")
        #expect(records[0].category == "Others")
        #expect(records[2].output == nil)
        #expect(records.map(\.location.number) == [0, 1, 2])
        #expect(records.allSatisfy { $0.location.kind == .index && $0.format == .alpaca })
    }

    @Test func jsonLinesAllFormats() throws {
        let url = try temp("b.jsonl", Data("""
            {"instruction": "A", "output": "a"}

            {"conversations": [{"from": "system", "value": "sys"}, {"from": "human", "value": "B"}, {"from": "gpt", "value": "b"}]}
            {"messages": [{"role": "user", "content": [{"type": "text", "text": "C"}]}, {"role": "assistant", "content": "c"}], "topic": "Math"}\r
            """.utf8))
        let (records, issues) = try readAll(url, reader: DatasetReader(parser: DatasetRecordParser(categoryField: "topic")))
        #expect(issues.isEmpty)
        #expect(records.map(\.instruction) == ["A", "B", "C"])
        #expect(records.map(\.output) == ["a", "b", "c"])
        #expect(records.map(\.format) == [.alpaca, .sharegpt, .messages])
        #expect(records.map(\.location.number) == [1, 3, 4])
        #expect(records[2].category == "Math")
    }

    @Test func forcedFormatRejectsOtherLayouts() throws {
        let url = try temp("c.jsonl", Data(#"{"instruction": "A"}"# .utf8 + Data("\n".utf8) + Data(#"{"messages": [{"role": "user", "content": "B"}]}"#.utf8)))
        let (records, issues) = try readAll(url, reader: DatasetReader(parser: DatasetRecordParser(format: .messages)))
        #expect(records.map(\.instruction) == ["B"])
        #expect(issues.count == 1)
        #expect(issues[0].location.number == 1)
        #expect(issues[0].reason == .missingInstruction(expected: "a `messages` list"))
    }

    @Test func badRecordsAreReportedWithLocationAndReason() throws {
        var bytes = Data()
        bytes += Data(#"{"instruction": "good one", "output": "ok"}"#.utf8) + Data([0x0A])
        bytes += Data(#"{"instruction": "broken"#.utf8) + Data([0x0A])
        bytes += Data(#"{"input": "no instruction"}"#.utf8) + Data([0x0A])
        bytes += Data(#"{"instruction": ""}"#.utf8) + Data([0x0A])
        bytes += Data(#"{"instruction": ["list"]}"#.utf8) + Data([0x0A])
        bytes += Data(#"{"instruction": "bad "#.utf8) + Data([0xC3, 0x28]) + Data(#"""}"#.utf8) + Data([0x0A])
        bytes += Data(#"{"instruction": "\#(String(repeating: "x", count: 300))"}"#.utf8) + Data([0x0A])
        bytes += Data(#"[1, 2]"#.utf8) + Data([0x0A])
        bytes += Data(#"{"conversations": [{"from": "gpt", "value": "only the model"}]}"#.utf8) + Data([0x0A])
        bytes += Data(#"{"instruction": "fine", "input": 3}"#.utf8) + Data([0x0A])
        bytes += Data(#"{"instruction": "last good"}"#.utf8)
        let url = try temp("bad.jsonl", bytes)
        let (records, issues) = try readAll(url, reader: DatasetReader(maxRecordBytes: 200))
        #expect(records.map(\.instruction) == ["good one", "last good"])
        #expect(records.map(\.location.number) == [1, 11])
        let byLine = Dictionary(uniqueKeysWithValues: issues.map { ($0.location.number, $0.reason) })
        #expect(byLine.count == 9)
        if case .invalidJSON = byLine[2] {} else { Issue.record("line 2: \(String(describing: byLine[2]))") }
        #expect(byLine[3] == .missingInstruction(expected: "an `instruction`, `conversations` or `messages` field"))
        #expect(byLine[4] == .emptyText(field: "instruction"))
        #expect(byLine[5] == .wrongType(field: "instruction", expected: "a string"))
        #expect(byLine[6] == .invalidUTF8)
        #expect(byLine[7] == .tooLarge(bytes: 319, limit: 200))
        #expect(byLine[8] == .notAnObject)
        if case .missingInstruction = byLine[9] {} else { Issue.record("line 9: \(String(describing: byLine[9]))") }
        #expect(byLine[10] == .wrongType(field: "input", expected: "a string"))
        #expect(issues[0].description.contains("bad.jsonl line 2"))
    }

    @Test func brokenArrayKeepsGoodElements() throws {
        let url = try temp("broken.json", Data("""
            [{"instruction": "one"}, {"instruction": oops}, {"instruction": "three"}, {"instruction": "four"
            """.utf8))
        let (records, issues) = try readAll(url)
        #expect(records.map(\.instruction) == ["one", "three"])
        #expect(issues.map(\.location.number) == [1, 3, 4])
        #expect(issues.allSatisfy { $0.location.kind == .index })
    }

    @Test func emptyAndMissingFiles() throws {
        #expect(try readAll(try temp("e.json", Data("  [ ] ".utf8))).records.isEmpty)
        let missing = try readAll(URL(fileURLWithPath: "/nonexistent/tapir.jsonl"))
        #expect(missing.issues.count == 1)
        if case .unreadable = missing.issues[0].reason {} else { Issue.record("\(missing.issues)") }
    }

    @Test func fingerprintIgnoresCaseAndWhitespace() {
        #expect(InstructionFingerprint.normalize("  Hello \n\t WORLD  ") == "hello world")
        let a = InstructionFingerprint.hash(instruction: "Hello  World", input: "")
        #expect(a == InstructionFingerprint.hash(instruction: "hello world", input: " "))
        #expect(a != InstructionFingerprint.hash(instruction: "hello", input: "world"))
        #expect(a.count == 32)
        // Non-ASCII text takes the general path; it must agree with the ASCII one.
        #expect(InstructionFingerprint.hash(instruction: "Hello\u{00A0}World\u{2003}", input: "") == a)
        #expect(InstructionFingerprint.hash(instruction: "ÉCOLE  Été", input: "") == InstructionFingerprint.hash(instruction: "école été", input: ""))
        #expect(InstructionFingerprint.normalize("ÉCOLE\u{3000}Été") == "école été")
    }

    @Test func evalSplitIsDeterministicAndNearTheFraction() {
        let texts = (0..<4000).map { "instruction number \($0)" }
        let eval = texts.filter { InstructionFingerprint.split(instruction: $0, input: "", evalFraction: 0.1) == .eval }
        #expect((300...500).contains(eval.count))
        let again = texts.filter { InstructionFingerprint.split(instruction: $0.uppercased(), input: "", evalFraction: 0.1) == .eval }
        #expect(eval == again)
        #expect(texts.allSatisfy { InstructionFingerprint.split(instruction: $0, input: "", evalFraction: 0) == .train })
    }
}
