import Foundation
import Testing
@testable import TapirCore

@Suite("Training-set export")
struct DatasetExporterTests {
    let examples = [
        TrainingExample(instruction: "Add", input: "2 and 3", output: "5", category: "Math", hard: true),
        TrainingExample(instruction: "Say \"hi\" in French", output: "Salut\nou bonjour"),
    ]

    @Test func writesEveryFormatAndParsesBack() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("tapir-export-\(UUID().uuidString)")
        let manifest = try DatasetExporter.write(examples, to: dir, namePrefix: "tapir_round_1")
        #expect(manifest.count == 2)

        let alpaca = try JSONSerialization.jsonObject(with: Data(contentsOf: dir.appendingPathComponent("alpaca.json"))) as! [[String: String]]
        #expect(alpaca.map { $0["instruction"] } == ["Add", "Say \"hi\" in French"])
        #expect(alpaca[0]["input"] == "2 and 3" && alpaca[1]["output"] == "Salut\nou bonjour")

        let sharegpt = try String(contentsOf: dir.appendingPathComponent("sharegpt.jsonl"), encoding: .utf8)
            .split(separator: "\n").map { try JSONSerialization.jsonObject(with: Data($0.utf8)) as! [String: [[String: String]]] }
        #expect(sharegpt.count == 2)
        #expect(sharegpt[0]["conversations"]! == [["from": "human", "value": "Add\n\n2 and 3"], ["from": "gpt", "value": "5"]])

        let messages = try String(contentsOf: dir.appendingPathComponent("messages.jsonl"), encoding: .utf8)
            .split(separator: "\n").map { try JSONSerialization.jsonObject(with: Data($0.utf8)) as! [String: [[String: String]]] }
        #expect(messages[1]["messages"]! == [["role": "user", "content": "Say \"hi\" in French"],
                                              ["role": "assistant", "content": "Salut\nou bonjour"]])

        let info = try JSONSerialization.jsonObject(with: Data(contentsOf: manifest.datasetInfo)) as! [String: [String: Any]]
        #expect(Set(info.keys) == ["tapir_round_1_alpaca", "tapir_round_1_sharegpt", "tapir_round_1_messages"])
        #expect(info["tapir_round_1_alpaca"]?["file_name"] as? String == "alpaca.json")
        #expect(info["tapir_round_1_alpaca"]?["columns"] as? [String: String] == ["prompt": "instruction", "query": "input", "response": "output"])
        #expect(info["tapir_round_1_sharegpt"]?["formatting"] as? String == "sharegpt")
        #expect((info["tapir_round_1_sharegpt"]?["tags"] as? [String: String])?["user_tag"] == "human")
        #expect((info["tapir_round_1_messages"]?["tags"] as? [String: String])?["role_tag"] == "role")
        #expect(info["tapir_round_1_messages"]?["columns"] as? [String: String] == ["messages": "messages"])

        // A second export into the same folder keeps the other entries.
        try DatasetExporter.write(examples, formats: [.alpaca], to: dir, namePrefix: "other")
        let merged = try JSONSerialization.jsonObject(with: Data(contentsOf: manifest.datasetInfo)) as! [String: Any]
        #expect(merged.count == 4)
        try? FileManager.default.removeItem(at: dir)
    }
}
