import Foundation
import Testing
import TapirCore
import TapirStore
import TapirTestSupport
@testable import TapirEngine

@Suite struct EvaluateStageTests {
    /// The scripted judge scores an answer 9 when it says "strong", 3 when "weak", else 6;
    /// the student (a request without data blocks) answers "plain answer".
    static func score(_ answer: String) -> Int {
        answer.contains("strong") ? 9 : answer.contains("weak") ? 3 : 6
    }

    @Test func winRateCountsTiesAsHalfOverallAndPerCategory() async throws {
        let fixture = try EngineFixture { messages in
            let prompt = userText(messages)
            if let first = block("ANSWER_1", in: prompt), let second = block("ANSWER_2", in: prompt) {
                return "\(Self.score(first)) \(Self.score(second))\nBecause."
            }
            return "plain answer"
        }
        let win = try fixture.instruction("Eval one", category: "Math", split: .eval)
        let tie = try fixture.instruction("Eval two", category: "Math", split: .eval)
        let loss = try fixture.instruction("Eval three", category: "Writing", split: .eval)
        let asked = try fixture.instruction("Eval four", category: "Writing", split: .eval)
        try fixture.instruction("Train only", category: "Math")
        for id in [win, tie, loss, asked] { try fixture.response(id, .teacher, round: 0, "reference text") }
        try fixture.response(win, .student, round: 1, "a strong answer")
        try fixture.response(tie, .student, round: 1, "an ordinary answer")
        try fixture.response(loss, .student, round: 1, "a weak answer")
        try fixture.round(1)
        let models = EngineModels(student: try fixture.model(.student), judge: try fixture.model(.judge))
        let context = fixture.context(models: models, concurrency: 2)

        let outcome = try await EvaluateStage().run(round: 1, context: context)
        #expect(outcome == .completed(summary: "win rate 50.0% over 4"))
        try fixture.read { reader in
            let verdicts = Dictionary(uniqueKeysWithValues: try reader.evaluations(round: 1).map { ($0.instructionID, $0.verdict) })
            #expect(verdicts == [win: .win, tie: .tie, loss: .loss, asked: .tie])
            #expect(try reader.response(instructionID: asked, role: .student, round: 1)?.text == "plain answer")
            let round = try #require(try reader.round(1))
            #expect(round.winRate == 0.5)
            #expect(round.metrics["win_rate:Math"] == 0.75)
            #expect(round.metrics["win_rate:Writing"] == 0.25)
            #expect(round.finishedAt != nil)
        }
        // One student call plus both orders for four instructions.
        #expect(fixture.server?.requestCount == 9)
        let again = try await EvaluateStage().run(round: 1, context: context)
        #expect(again == outcome)
        #expect(fixture.server?.requestCount == 9)
    }

    /// An eval instruction without a reference is not work: the progress row counts only the
    /// comparable ones, the same after a rerun, and the summary names the others.
    @Test func instructionsWithoutReferenceAreLeftOutOfTheProgress() async throws {
        let fixture = try EngineFixture { messages in
            block("ANSWER_1", in: userText(messages)) != nil ? "6 6\nEven." : "plain answer"
        }
        let compared = try fixture.instruction("Eval one", category: "Math", split: .eval)
        try fixture.instruction("Eval without reference", category: "Math", split: .eval)
        try fixture.response(compared, .teacher, round: 0, "reference")
        try fixture.response(compared, .student, round: 1, "student")
        try fixture.round(1)
        let context = fixture.context(models: EngineModels(judge: try fixture.model(.judge)))
        for _ in 0..<2 {
            let outcome = try await EvaluateStage().run(round: 1, context: context)
            #expect(outcome == .completed(summary: "win rate 50.0% over 1, 1 without reference or student"))
            let progress = try #require(try fixture.read { try $0.stageProgress(round: 1, stage: .evaluate) })
            #expect(progress.done == 1 && progress.total == 1)
        }
        #expect(fixture.server?.requestCount == 2)
    }

    @Test func anUnparseableVerdictIsReaskedOnceThenLeftForLater() async throws {
        let fixture = try EngineFixture { messages in
            block("ANSWER_1", in: userText(messages)) != nil ? "I cannot decide." : "plain answer"
        }
        let id = try fixture.instruction("Eval one", category: "Math", split: .eval)
        try fixture.response(id, .teacher, round: 0, "reference")
        try fixture.response(id, .student, round: 1, "student")
        try fixture.round(1)
        let context = fixture.context(models: EngineModels(judge: try fixture.model(.judge)))
        _ = try await EvaluateStage().run(round: 1, context: context)
        #expect(try fixture.read { try $0.evaluations(round: 1) }.isEmpty)
        #expect(fixture.server?.requestCount == 2)
        #expect(try fixture.events(containing: "unparseable twice").count == 1)
    }
}
