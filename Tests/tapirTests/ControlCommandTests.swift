import Foundation
import Testing
import TapirCore
import TapirStore

/// `tapir pause/resume/approve/reject` write human decisions into the workspace database.
@Suite("tapir control commands")
struct ControlCommandTests {
    @Test func pauseResumeApproveAndRejectReachTheDatabase() async throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("tapir-control-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        let workspace = try Workspace.create(at: root)
        let store = try workspace.openStore()
        let (seedID, first, second) = try await store.write { w -> (Int64, Int64, Int64) in
            let seed = try #require(try w.insertInstruction(InstructionRecord(text: "Add 2 and 3.", source: .dataset)))
            let a = try #require(try w.addExpansion(text: "Add 4 and 9.", input: "", parentID: seed.id!, round: 1, category: "Math", split: .train, similarity: 0.2, nearestIDs: [seed.id!], autoApprove: false))
            let b = try #require(try w.addExpansion(text: "Multiply 6 by 7.", input: "", parentID: seed.id!, round: 1, category: "Math", split: .train, similarity: 0.1, nearestIDs: [seed.id!], autoApprove: false))
            return (seed.id!, a.instruction.id!, b.instruction.id!)
        }

        #expect(try await TapirProcess.run(["pause", "--workspace", root.path]).status == 0)
        #expect(try store.control(.paused) == "1")
        #expect(try await TapirProcess.run(["resume", "--workspace", root.path]).status == 0)
        #expect(try store.control(.paused) == nil)

        #expect(try await TapirProcess.run(["approve", "--workspace", root.path, "\(first)"]).status == 0)
        let reject = try await TapirProcess.run(["reject", "--workspace", root.path, "\(second)", "--reason", "off topic"])
        #expect(reject.status == 0)
        let states = try await store.read { r in try [first, second].map { try r.expansion(instructionID: $0) } }
        #expect(states.map { $0?.state } == [.approved, .rejected])
        #expect(states[1]?.reviewerNote == "off topic")

        // Deciding an id that is not a pending expansion fails with a reason.
        let bad = try await TapirProcess.run(["approve", "--workspace", root.path, "\(seedID)"])
        #expect(bad.status != 0)
        #expect(bad.stderr.contains("\(seedID)"))
    }
}
