import Foundation
import Testing
import TapirCore
import TapirStore
@testable import TapirEngine

/// An answer stage that stores an answer for every train instruction but those containing
/// "SLOW", then waits (up to ten minutes) for cancellation while a SLOW one lacks an answer.
/// `disguise` rethrows the cancellation as a stage error, as a cancelled request may.
struct HangingAnswerStage: StageRunner {
    let stage = Stage.answer
    var disguise = false

    func run(round: Int, context: EngineContext) async throws -> StageOutcome {
        let open = try await context.store.write { writer in
            var open = 0
            for id in try writer.reader.instructionIDsWithoutResponse(role: .student, round: round) {
                guard let instruction = try writer.reader.instruction(id: id), !instruction.text.contains("SLOW") else {
                    open += 1
                    continue
                }
                _ = try writer.saveResponse(ResponseRecord(instructionID: id, role: .student, round: round,
                                                           model: "hanging", text: "answer \(round)"))
            }
            return open
        }
        if open > 0 {
            do {
                try await Task.sleep(for: .seconds(600))
            } catch {
                throw disguise ? StageTestError.requested : error
            }
        }
        return .completed(summary: "answered")
    }
}

@Suite struct RoundRunnerCancellationTests {
    /// Runs the hanging stage, cancels the run once it is `running` with the fast answer
    /// stored, and checks what the store holds afterwards.
    private func cancelMidStage(disguise: Bool) async throws {
        let fixture = try EngineFixture()
        fixture.config.curriculum.rounds = 1
        let fast = try fixture.instruction("fast one", category: "Math")
        let slow = try fixture.instruction("SLOW two", category: "Math")
        let runner = RoundRunner(context: fixture.context(),
                                 stages: [HangingAnswerStage(disguise: disguise), MarkingStage(stage: .teach)])
        let run = Task { await runner.run() }
        // Wait (generously: the machine may be loaded) until the stage runs and stored its answer.
        let deadline = ContinuousClock.now + .seconds(60)
        while ContinuousClock.now < deadline {
            let round = try await fixture.store.read { try $0.round(1) }
            let answered = try await fixture.store.read { try $0.responses(role: .student, round: 1) }.count
            if round?.stage == .answer, round?.stageState == .running, answered == 1 { break }
            try await Task.sleep(for: .milliseconds(20))
        }
        run.cancel()
        #expect(await run.value == .paused(reason: "cancelled"))

        let record = try #require(try fixture.read { try $0.round(1) })
        #expect(record.stage == .answer)
        #expect(record.stageState == .pending)
        #expect(record.finishedAt == nil)
        #expect(try fixture.read { try $0.responses(role: .student, round: 1) }.map(\.instructionID) == [fast])
        #expect(try fixture.events(containing: "answer interrupted; left pending").count == 1)

        // The next run redoes the stage for the unanswered instruction only and goes on.
        let again = RoundRunner(context: fixture.context(), stages: [MarkingStage(stage: .answer), MarkingStage(stage: .teach)])
        #expect(await again.run() == .done)
        let answers = try fixture.read { try $0.responses(role: .student, round: 1) }
        #expect(answers.map(\.instructionID).sorted() == [fast, slow])
        #expect(answers.first { $0.instructionID == fast }?.model == "hanging")
        #expect(try fixture.read { try $0.round(1) }?.finishedAt != nil)
    }

    @Test func aCancelledStageIsLeftPendingWithItsFinishedWorkKept() async throws {
        try await cancelMidStage(disguise: false)
    }

    @Test func aStageThatReportsCancellationAsItsOwnErrorIsLeftPendingToo() async throws {
        try await cancelMidStage(disguise: true)
    }
}
