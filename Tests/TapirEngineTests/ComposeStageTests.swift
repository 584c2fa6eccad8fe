import Foundation
import Testing
import TapirCore
import TapirStore
@testable import TapirEngine

@Suite struct ComposeStageTests {
    @Test func composesWithinAlphaAndWritesParseableExports() async throws {
        let fixture = try EngineFixture()
        fixture.config.curriculum.alpha = [0.4]
        fixture.config.curriculum.trainingSetSize = 20
        var selection: [SelectionRecord] = []
        var refinedIDs: [Int64: Int64] = [:]
        for k in 0..<30 {
            let id = try fixture.instruction("Task number \(k) about topic \(k * 7)", category: k % 2 == 0 ? "Math" : "Writing")
            try fixture.response(id, .teacher, round: 0, "teacher answer \(k)")
            if k % 3 == 0 { refinedIDs[id] = try fixture.response(id, .refined, round: 1, "refined answer \(k)") }
            selection.append(SelectionRecord(instructionID: id, round: 1, hard: k < 12, value: Double(k), delta: 1))
        }
        try fixture.round(1, alpha: 0.4)
        try fixture.write { try $0.replaceSelection(round: 1, selection) }

        let outcome = try await ComposeStage().run(round: 1, context: fixture.context())
        guard case .completed = outcome else { Issue.record("expected completed, got \(outcome)"); return }
        let (composition, metrics) = try fixture.read { reader in (try reader.composition(round: 1), try reader.round(1)?.metrics ?? [:]) }
        #expect(composition.count == 20)
        let hardShare = Double(composition.filter(\.hard).count) / Double(composition.count)
        #expect(abs(hardShare - 0.4) <= 0.05)
        #expect(metrics["alpha_achieved"] == hardShare)
        #expect(metrics["alpha_target"] == 0.4)
        #expect(abs((metrics["share:Math"] ?? 0) + (metrics["share:Writing"] ?? 0) - 1) < 1e-9)
        for row in composition where refinedIDs[row.instructionID] != nil {
            #expect(row.responseID == refinedIDs[row.instructionID])
        }

        let folder = fixture.workspace.exportURL(round: 1)
        let alpaca = try JSONSerialization.jsonObject(with: Data(contentsOf: folder.appendingPathComponent("alpaca.json")))
        let rows = try #require(alpaca as? [[String: Any]])
        #expect(rows.count == 20)
        #expect(rows.allSatisfy { ($0["instruction"] as? String)?.hasPrefix("Task number") == true })
        let lines = try String(contentsOf: folder.appendingPathComponent("sharegpt.jsonl"), encoding: .utf8)
            .split(separator: "\n")
        #expect(lines.count == 20)
        for line in lines { _ = try JSONSerialization.jsonObject(with: Data(line.utf8)) }
        let info = try JSONSerialization.jsonObject(with: Data(contentsOf: folder.appendingPathComponent("dataset_info.json")))
        #expect((info as? [String: Any])?.isEmpty == false)

        // The files written from memory equal what `tapir export --round 1` writes from the store.
        let again = fixture.workspace.root.appendingPathComponent("export-again")
        try TrainingSetExporter.export(.round(1), from: fixture.store, to: again)
        for name in ["alpaca.json", "sharegpt.jsonl", "messages.jsonl", "dataset_info.json"] {
            #expect(try Data(contentsOf: folder.appendingPathComponent(name)) == Data(contentsOf: again.appendingPathComponent(name)), "\(name)")
        }
    }

    @Test func withoutSelectionTheStageWaits() async throws {
        let fixture = try EngineFixture()
        try fixture.round(1)
        let outcome = try await ComposeStage().run(round: 1, context: fixture.context())
        guard case .waiting = outcome else { Issue.record("expected waiting, got \(outcome)"); return }
    }
}
