import Foundation
import Testing
import TapirCore
import TapirStore
@testable import TapirEngine

@Suite struct ExpansionDeduplicatorTests {
    @Test func rejectsDuplicatesOfTheWorkspaceAndOfTheBatch() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("tapir-engine-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let store = try WorkspaceStore(path: folder.appendingPathComponent("tapir.sqlite").path)
        let seedID = try store.write { w in
            try #require(try w.insertInstruction(InstructionRecord(text: "Write a short poem about the sea.", source: .dataset))?.id)
        }
        var dedup = try store.read { r in try ExpansionDeduplicator(policy: DedupPolicy(), reader: r) }
        #expect(dedup.check("write a short poem about the sea.").verdict == .exactDuplicate(of: seedID))
        #expect(dedup.check("Write a long poem about the blue sea").verdict == .nearDuplicate(of: seedID, similarity: 0.8))
        let first = dedup.check("Explain how a bicycle gear system trades force for speed.")
        #expect(first.verdict == .unique && first.provisionalID == -1)
        // A near copy of an earlier candidate in the same batch is caught too.
        let second = dedup.check("Explain how a bicycle gear system trades force for speed!")
        #expect(second.verdict == .nearDuplicate(of: -1, similarity: 1))
        #expect(second.provisionalID == nil)
        #expect(dedup.nearest(to: "a short poem about the sea please").first?.id == seedID)
    }
}
