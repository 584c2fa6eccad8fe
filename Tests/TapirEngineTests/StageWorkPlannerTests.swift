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

    @Test func selectionRecordsFollowDelta() throws {
        let difficulties = [
            DifficultyRecord(instructionID: 1, round: 1, kind: .judge, value: 2.5),
            DifficultyRecord(instructionID: 2, round: 1, kind: .judge, value: 1.0),
            DifficultyRecord(instructionID: 3, round: 1, kind: .judge, value: -1),
            DifficultyRecord(instructionID: 4, round: 1, kind: .ifd, value: 9),
            DifficultyRecord(instructionID: 5, round: 2, kind: .judge, value: 9),
        ]
        let planned = SelectionPlanner(kind: .judge, delta: 1.0).selection(round: 1, difficulties: difficulties, categories: [1: "Math"])
        #expect(planned.records.map(\.instructionID) == [1, 2, 3])
        #expect(planned.records.map(\.hard) == [true, false, false])
        #expect(planned.records.allSatisfy { $0.delta == 1.0 && $0.round == 1 })
        #expect(planned.summary.countsByCategory["Math"]! == (1, 1))
        #expect(planned.summary.countsByCategory["Others"]! == (0, 2))
        let lower = SelectionPlanner(kind: .judge, delta: 0.5).selection(round: 1, difficulties: difficulties)
        #expect(lower.records.filter(\.hard).map(\.instructionID) == [1, 2])
    }
}

@Suite struct CompositionPlannerTests {
    @Test func composesFromSelectionWithRepeatIndexes() throws {
        let taxonomy = TaskTaxonomy(categories: [TaskCategory(name: "Math", targetShare: 0.5), TaskCategory(name: "Law", targetShare: 0.5)])
        var instructions: [Int64: InstructionRecord] = [:]
        var selection: [SelectionRecord] = []
        var responses: [Int64: Int64] = [:]
        for id in Int64(1)...40 {
            instructions[id] = InstructionRecord(
                id: id, text: "t\(id)", source: id % 5 == 0 ? .expansion : .dataset, category: id % 2 == 0 ? "Math" : "Law")
            selection.append(SelectionRecord(instructionID: id, round: 2, hard: id <= 4, value: id <= 4 ? 3 : 0, delta: 1))
            if id != 40 { responses[id] = 1000 + id }  // 40 has no response: skipped
        }
        selection.append(SelectionRecord(instructionID: 1, round: 1, hard: true, value: 3, delta: 1))  // other round: ignored
        let planner = CompositionPlanner(taxonomy: taxonomy, alphaSchedule: AlphaSchedule([0.3, 0.5]), size: 20)
        let (records, mix) = planner.compose(round: 2, selection: selection, instructions: instructions, responseIDs: responses)
        #expect(records.count == 20)
        #expect(records.map(\.position) == Array(0..<20))
        // α = 0.5 of 20 = 10 hard, but only 4 hard instructions: 6 hard repeats.
        #expect(records.filter(\.hard).count == 10)
        #expect(mix.repeatCount == 6)
        #expect(Set(records.filter(\.hard).map(\.instructionID)) == [1, 2, 3, 4])
        #expect(records.allSatisfy { $0.responseID == 1000 + $0.instructionID && $0.round == 2 })
        #expect(!records.contains { $0.instructionID == 40 })
        // Repeat indexes count copies of each instruction 0, 1, 2 …
        for id in Set(records.map(\.instructionID)) {
            #expect(records.filter { $0.instructionID == id }.map(\.repeatIndex) == Array(0..<records.filter { $0.instructionID == id }.count))
        }
        let again = planner.compose(round: 2, selection: selection, instructions: instructions, responseIDs: responses)
        #expect(again.records == records)
    }
}

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
