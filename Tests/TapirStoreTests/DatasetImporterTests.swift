import Foundation
import Testing
import TapirCore
@testable import TapirStore

@Suite("Dataset import into a workspace")
struct DatasetImporterTests {
    let temp: TempDirectory
    let store: WorkspaceStore

    init() throws {
        temp = try TempDirectory()
        store = try WorkspaceStore(path: temp.file("tapir.sqlite").path)
    }

    @Test func importsEveryFormatWithOutputsAndCategories() throws {
        let alpaca = try temp.write("a.json", """
            [{"instruction": "Add 2 and 3", "output": "5", "category": "math"},
             {"instruction": "Write a limerick", "output": "There once was…", "category": "Poetry"}]
            """)
        let sharegpt = try temp.write("s.jsonl", """
            {"conversations": [{"from": "human", "value": "Fix: print(x"}, {"from": "gpt", "value": "print(x)"}], "category": "Code Debug"}
            """)
        let messages = try temp.write("m.jsonl", """
            {"messages": [{"role": "user", "content": "Bonjour?"}, {"role": "assistant", "content": "Hello"}]}
            """)
        let options = ImportOptions(taxonomy: .tapirDefault)
        let reports = try [alpaca, sharegpt, messages].map { try DatasetImporter.importFile($0, into: store, options: options) }
        #expect(reports.map(\.imported) == [2, 1, 1])
        #expect(reports.map(\.withOutput) == [2, 1, 1])
        let all = try store.read { try $0.instructions() }
        #expect(all.map(\.category) == ["Math", "Poetry", "Code Debug", nil])
        #expect(all.map(\.categorySource) == [.dataset, .dataset, .dataset, nil])
        #expect(all[0].originFile == alpaca.path && all[0].originLine == 0)
        #expect(all[2].originLine == 1)
        let response = try #require(try store.read { try $0.teacherResponse(instructionID: all[0].id!) })
        #expect(response.text == "5" && response.round == 0 && response.model == "dataset")
        #expect(response.origin == "\(alpaca.path):index 0")
    }

    @Test func badRecordsAreCountedAndGoodOnesImport() throws {
        let file = try temp.write("mixed.jsonl", """
            {"instruction": "one"}
            {oops
            {"instruction": 7}
            {"instruction": "two"}
            """)
        let report = try DatasetImporter.importFile(file, into: store)
        #expect(report.imported == 2)
        #expect(report.invalid == 2)
        #expect(report.issues.count == 2)
        #expect(report.issues[0].hasPrefix("\(file.path) line 2"))
        #expect(report.issues[1].contains("line 3"))
    }

    @Test func duplicatesAndReimportAddNothing() throws {
        let file = try temp.write("d.jsonl", """
            {"instruction": "Explain  WAL mode", "output": "first"}
            {"instruction": "explain wal mode", "output": "second"}
            {"instruction": "Explain WAL mode", "input": "briefly"}
            """)
        let first = try DatasetImporter.importFile(file, into: store, options: ImportOptions(batchSize: 2))
        #expect(first.imported == 2 && first.duplicates == 1)
        let second = try DatasetImporter.importFile(file, into: store)
        #expect(second.imported == 0 && second.duplicates == 3)
        #expect(try store.read { try $0.instructionCount() } == 2)
        #expect(try store.read { try $0.responseCounts() } == [.teacher: 1])
    }

    @Test func evalSplitFollowsTheFractionDeterministically() throws {
        let lines = (0..<2000).map { #"{"instruction": "Question \#($0)?", "output": "A"}"# }.joined(separator: "\n")
        let file = try temp.write("many.jsonl", lines)
        let report = try DatasetImporter.importFile(file, into: store, options: ImportOptions(evalFraction: 0.2, batchSize: 300))
        #expect(report.imported == 2000)
        #expect((300...500).contains(report.eval))
        let evalIDs = try store.read { try $0.instructions(.activeEval) }.map(\.text)
        #expect(evalIDs.count == report.eval)
        #expect(evalIDs.allSatisfy { InstructionFingerprint.split(instruction: $0, input: "", evalFraction: 0.2) == .eval })
    }

    @Test func exportBeforeAndAfterComposition() throws {
        let file = try temp.write("e.jsonl", """
            {"instruction": "Train me", "output": "ok"}
            {"instruction": "Another", "output": "fine"}
            """)
        _ = try DatasetImporter.importFile(file, into: store)
        let seed = try TrainingSetExporter.export(from: store, to: temp.url.appendingPathComponent("seed"))
        #expect(seed.round == nil && seed.manifest.count == 2)
        #expect(seed.manifest.datasetNames[.alpaca] == "tapir_seed_alpaca")

        let ids = try store.read { try $0.instructionIDs() }
        try store.write { w in
            let refined = try w.saveResponse(ResponseRecord(instructionID: ids[1], role: .refined, round: 1, model: "t", text: "better"))
            try w.replaceComposition(round: 1, [CompositionRecord(round: 1, instructionID: ids[1], responseID: refined.id!, hard: true, position: 0)])
        }
        let latest = try TrainingSetExporter.export(from: store)
        #expect(latest.round == 1)
        #expect(latest.manifest.directory.lastPathComponent == "round-1")
        #expect(latest.manifest.directory.deletingLastPathComponent().lastPathComponent == "exports")
        let alpaca = try JSONSerialization.jsonObject(with: Data(contentsOf: latest.manifest.files[.alpaca]!)) as! [[String: String]]
        #expect(alpaca == [["instruction": "Another", "input": "", "output": "better"]])
        #expect(throws: ExportError.noComposition(round: 4)) { try TrainingSetExporter.export(.round(4), from: store) }
    }
}
