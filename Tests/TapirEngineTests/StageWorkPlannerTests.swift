import Foundation
import Testing
import TapirCore
import TapirStore
@testable import TapirEngine

@Suite struct StageWorkPlannerTests {
    /// A store in a fresh temp folder with `count` train instructions (every third one
    /// labelled Math) and one eval instruction.
    private func makeStore(count: Int) throws -> (WorkspaceStore, [Int64], URL) {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("tapir-engine-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let store = try WorkspaceStore(path: folder.appendingPathComponent("tapir.sqlite").path)
        let ids = try store.write { w in
            var ids: [Int64] = []
            for k in 0..<count {
                let record = InstructionRecord(
                    text: "Instruction number \(k)", source: .dataset,
                    category: k % 3 == 0 ? "Math" : nil, categorySource: k % 3 == 0 ? .dataset : nil)
                ids.append(try #require(try w.insertInstruction(record)?.id))
            }
            _ = try w.insertInstruction(InstructionRecord(text: "Held out", source: .dataset, split: .eval))
            return ids
        }
        return (store, ids, folder)
    }

    @Test func perInstructionStagesShrinkAsResultsAreStored() throws {
        let (store, ids, folder) = try makeStore(count: 6)
        defer { try? FileManager.default.removeItem(at: folder) }
        let planner = StageWorkPlanner(curriculum: CurriculumConfig())

        // Round 1, nothing done: everything pending; judge has nothing judgeable yet.
        try store.read { r in
            #expect(try planner.work(.answer, round: 1, reader: r).pendingIDs == ids)
            #expect(try planner.work(.teach, round: 1, reader: r).pendingIDs == ids)
            let judge = try planner.work(.judge, round: 1, reader: r)
            #expect(judge.total == 0 && judge.isComplete)
            // Classify covers eval too: 4 of 6 train + 1 eval are unlabelled.
            let classify = try planner.work(.classify, round: 1, reader: r)
            #expect(classify.total == 7 && classify.pendingIDs.count == 5)
        }

        // Dataset outputs (round 0) for all, student answers for the first four.
        try store.write { w in
            for (k, id) in ids.enumerated() {
                _ = try w.saveResponse(ResponseRecord(instructionID: id, role: .teacher, round: 0, model: "dataset", text: "ref \(k)"))
                if k < 4 { _ = try w.saveResponse(ResponseRecord(instructionID: id, role: .student, round: 1, model: "s", text: "ans \(k)")) }
            }
            _ = try w.saveJudgement(JudgementRecord(instructionID: ids[0], round: 1, teacherScoreAB: 8, studentScoreAB: 4, judgeModel: "j"))
            _ = try w.saveJudgement(JudgementRecord(instructionID: ids[1], round: 1, judgeModel: "j", status: .failed, error: "garbage"))
            _ = try w.saveResponse(ResponseRecord(instructionID: ids[2], role: .refined, round: 1, model: "t", text: "better"))
        }
        try store.read { r in
            let answer = try planner.work(.answer, round: 1, reader: r)
            #expect(answer.pendingIDs == Array(ids[4...]) && answer.done == 4)
            #expect(try planner.work(.teach, round: 1, reader: r).isComplete)
            // Judgeable: the four answered; judged (ok or failed): two.
            let judge = try planner.work(.judge, round: 1, reader: r)
            #expect(judge.total == 4 && judge.pendingIDs == [ids[2], ids[3]])
            let refine = try planner.work(.refine, round: 1, reader: r)
            #expect(refine.total == 6 && refine.pendingIDs == ids.filter { $0 != ids[2] })
            // Round 2 starts over for the student, not for the teacher.
            #expect(try planner.work(.answer, round: 2, reader: r).pendingIDs == ids)
            #expect(try planner.work(.teach, round: 2, reader: r).isComplete)
            #expect(throws: PlanningError.notPerInstruction(.compose)) { try planner.work(.compose, round: 1, reader: r) }
        }
        var noRefine = CurriculumConfig()
        noRefine.refine = false
        let refineOff = try store.read { r in try StageWorkPlanner(curriculum: noRefine).work(.refine, round: 1, reader: r) }
        #expect(refineOff.isComplete && refineOff.total == 0)
    }
}
