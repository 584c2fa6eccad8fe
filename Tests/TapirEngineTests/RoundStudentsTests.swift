import Foundation
import Testing
import TapirCore
import TapirStore
import TapirTestSupport
@testable import TapirEngine

/// After a trainer run that named a new student (`trainer.student_after`), the next round's
/// answers come from it; without `student_after` the configured student stays.
@Suite struct RoundStudentsTests {
    @Test func theTrainedStudentAnswersTheFollowingRounds() async throws {
        let fixture = try EngineFixture { _ in "configured student" }
        let trained = try ScriptedRoles().server()
        defer { trained.stop() }
        let id = try fixture.instruction("Name a colour.", category: "Others")
        try fixture.round(1)
        try fixture.round(2)
        let context = fixture.context(models: EngineModels(student: try fixture.model(.student)))

        _ = try await AnswerStage().run(round: 1, context: context)
        // Round 1 trained a student served at another endpoint.
        try fixture.write { writer in
            let run = try writer.startTrainerRun(round: 1, command: "train", logPath: nil)
            try writer.finishTrainerRun(id: run.id!, status: .succeeded, exitCode: 0,
                                        output: "openai:\(trained.baseURL)#\(ScriptedRoles.studentModel)")
            try writer.updateRoundMetrics(round: 1, ["student_trained": 1])
        }
        _ = try await AnswerStage().run(round: 2, context: context)

        let first = try fixture.read { try $0.response(instructionID: id, role: .student, round: 1) }
        let second = try fixture.read { try $0.response(instructionID: id, role: .student, round: 2) }
        #expect(first?.text == "configured student")
        #expect(second?.text == ScriptedRoles.studentPrefix + "Name a colour.")
        #expect(trained.requestCount == 1)
    }

    @Test func aRunWithoutStudentAfterKeepsTheConfiguredStudent() async throws {
        let fixture = try EngineFixture { _ in "configured student" }
        let id = try fixture.instruction("Name a colour.", category: "Others")
        try fixture.round(1)
        try fixture.round(2)
        try fixture.write { writer in
            // Without student_after the run's output is a checkpoint folder, not a student.
            let run = try writer.startTrainerRun(round: 1, command: "train", logPath: nil)
            try writer.finishTrainerRun(id: run.id!, status: .succeeded, exitCode: 0, output: fixture.folder.path)
        }
        let context = fixture.context(models: EngineModels(student: try fixture.model(.student)))
        _ = try await AnswerStage().run(round: 2, context: context)
        #expect(try fixture.read { try $0.response(instructionID: id, role: .student, round: 2) }?.text == "configured student")
    }
}
