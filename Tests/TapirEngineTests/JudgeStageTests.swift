import Foundation
import Testing
import TapirCore
import TapirStore
import TapirTestSupport
@testable import TapirEngine

@Suite struct JudgeStageTests {
    @Test func judgesBothOrdersReasksGarbageOnceAndRerunsForFree() async throws {
        let fixture = try StageFixture()
        defer { fixture.tearDown() }
        let ids = try fixture.insert(["Name a prime number.", "Say hello.", "GARBLE this please."])
        let models = EngineModels(student: try fixture.model(.student), judge: try fixture.model(.judge))
        let context = fixture.context(models: models)

        _ = try await AnswerStage().run(round: 1, context: context)
        let outcome = try await JudgeStage().run(round: 1, context: context)
        guard case let .completed(summary) = outcome else { Issue.record("unexpected \(outcome)"); return }
        #expect(summary.contains("1 failed"))
        // 3 answers; 2 orders for each of 2 readable instructions; 2 orders × (ask + re-ask) for GARBLE.
        #expect(fixture.server.requestCount == 3 + 4 + 4)

        try await fixture.store.read { r in
            for id in ids.prefix(2) {
                let judgement = try #require(try r.judgement(instructionID: id, round: 1))
                #expect(judgement.status == .ok)
                #expect(judgement.teacherScoreAB == 9 && judgement.studentScoreAB == 4)
                #expect(judgement.teacherScoreBA == 8 && judgement.studentScoreBA == 6)
                // Mean teacher (9 + 8) / 2 = 8.5, mean student (4 + 6) / 2 = 5: MFD 3.5.
                #expect(judgement.mfd == 3.5)
                #expect(try r.difficulty(instructionID: id, round: 1, kind: .judge)?.value == 3.5)
            }
            let garbled = try #require(try r.judgement(instructionID: ids[2], round: 1))
            #expect(garbled.status == .failed)
            #expect(garbled.mfd == nil)
            #expect(garbled.error?.contains("re-ask") == true)
            #expect(try r.difficulty(instructionID: ids[2], round: 1, kind: .judge) == nil)
            let progress = try #require(try r.stageProgress(round: 1, stage: .judge))
            #expect(progress.done == 3 && progress.total == 3)
        }

        // A rerun after completion plans nothing and calls nobody.
        let before = fixture.server.requestCount
        _ = try await AnswerStage().run(round: 1, context: context)
        _ = try await JudgeStage().run(round: 1, context: context)
        #expect(fixture.server.requestCount == before)
    }

    @Test func missingModelsAreTypedErrors() async throws {
        let fixture = try StageFixture()
        defer { fixture.tearDown() }
        try fixture.insert(["Say hello."])
        let context = fixture.context(models: EngineModels(student: try fixture.model(.student)))
        await #expect(throws: StageSetupError.self) { try await JudgeStage().run(round: 1, context: context) }
        // ifd needs the student's likelihoods, which an HTTP student cannot give.
        let ifd = fixture.context(curriculum: CurriculumConfig(difficulty: .ifd),
                                  models: EngineModels(student: try fixture.model(.student), judge: try fixture.model(.judge)))
        await #expect(throws: StageSetupError.missingModel(stage: .judge, role: .student, hint: "difficulty ifd needs the student's likelihoods: run it natively (roles.student.provider: native)")) {
            try await JudgeStage().run(round: 1, context: ifd)
        }
        #expect(fixture.server.requestCount == 0)
    }
}
