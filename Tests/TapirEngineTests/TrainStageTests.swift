import Foundation
import Testing
import TapirCore
import TapirStore
@testable import TapirEngine

@Suite struct TrainStageTests {
    @Test func withoutTrainerTheStageIsSkippedAndRecorded() async throws {
        let fixture = try EngineFixture()
        fixture.config.trainer = TrainerConfig()
        try fixture.round(1)
        let outcome = try await TrainStage().run(round: 1, context: fixture.context())
        #expect(outcome == .skipped(reason: "no trainer"))
        let runs = try fixture.read { try $0.trainerRuns(round: 1) }
        #expect(runs.map(\.status) == [.skipped])
    }

    @Test func aTrainedStudentIsRecordedForTheNextRound() async throws {
        let fixture = try EngineFixture()
        fixture.config.trainer = TrainerConfig(
            command: #"mkdir -p {output} && printf 'GGUF' > {output}/student.gguf && echo '{"loss": 0.75}'"#,
            studentAfter: "{output}/student.gguf")
        try fixture.round(1)
        let outcome = try await TrainStage().run(round: 1, context: fixture.context())
        guard case .completed = outcome else { Issue.record("expected completed, got \(outcome)"); return }
        let metrics = try fixture.read { try $0.round(1)?.metrics ?? [:] }
        #expect(metrics["final_loss"] == 0.75)
        let student = try #require(try await TrainStage.trainedStudent(before: 2, context: fixture.context()))
        #expect(student.hasSuffix("student.gguf"))
        #expect(try await TrainStage.trainedStudent(before: 1, context: fixture.context()) == nil)
        // Done rounds are not trained twice.
        let again = try await TrainStage().run(round: 1, context: fixture.context())
        guard case .completed(let summary) = again else { Issue.record("\(again)"); return }
        #expect(summary.hasPrefix("already trained"))
    }
}
