import Foundation
import Testing
import TapirCore
import TapirStore
@testable import TapirEngine

@Suite struct ExpansionDeduplicatorTests {
    /// Over a real store: the workspace index and the gate catch duplicates of stored
    /// instructions, of rejected expansions and of earlier candidates of the same stage.
    @Test func rejectsDuplicatesOfTheWorkspaceAndOfTheBatch() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("tapir-engine-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let store = try WorkspaceStore(path: folder.appendingPathComponent("tapir.sqlite").path)
        let seedID = try store.write { w in
            try #require(try w.insertInstruction(InstructionRecord(text: "Write a short poem about the sea.", source: .dataset))?.id)
        }
        let withInput = try store.write { w in
            try #require(try w.insertInstruction(InstructionRecord(text: "Translate to French", input: "good morning", source: .dataset))?.id)
        }
        let index = try store.read { try ExpansionDeduplicator.workspaceIndex(reader: $0) }
        #expect(index.count == 2)
        let gate = ExpandDeduplicationGate(workspace: index, rejectedTexts: [(id: 99, text: "List three rainy cities")], policy: DedupPolicy())
        func check(_ text: String) -> (verdict: DedupVerdict<Int64>, nearest: [NearDuplicateMatch<Int64>], provisionalID: Int64?) {
            gate.check(text, precheck: gate.precheck(text))
        }
        #expect(check("write a short poem about the sea.").verdict == .exactDuplicate(of: seedID))
        #expect(check("Write a long poem about the blue sea").verdict == .nearDuplicate(of: seedID, similarity: 0.8))
        #expect(check("Translate to French\ngood morning").verdict == .exactDuplicate(of: withInput))
        #expect(check("list three rainy cities").verdict == .exactDuplicate(of: 99))
        #expect(check("List three rainy cities!").verdict == .nearDuplicate(of: 99, similarity: 1))
        let first = check("Explain how a bicycle gear system trades force for speed.")
        #expect(first.verdict == .unique && first.provisionalID == -1)
        // A near copy of an earlier candidate in the same batch is caught too, under the id
        // the first one was stored as.
        gate.stored(provisionalID: -1, as: 7)
        let second = check("Explain how a bicycle gear system trades force for speed!")
        #expect(second.verdict == .nearDuplicate(of: 7, similarity: 1))
        #expect(second.provisionalID == nil)
        let unique = check("Write a poem for children about winter")
        #expect(unique.verdict == .unique && unique.nearest.first?.id == seedID)
    }
}
