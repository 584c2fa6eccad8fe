import Foundation
import Testing
import TapirCore
import TapirStore
import TapirTestSupport
@testable import TapirEngine

@Suite struct RefineStageTests {
    @Test func refinedResponsesAreAddedAndRawOnesKept() async throws {
        let fixture = try EngineFixture { messages in
            let prompt = userText(messages)
            guard let task = block("TASK", in: prompt), let answer = block("ANSWER", in: prompt) else { return "unexpected" }
            return "Refined [\(task)] from [\(answer)]"
        }
        let math = try fixture.instruction("What is 12 * 13?", category: "Math")
        let poem = try fixture.instruction("Write a limerick about a cat.", category: "Writing")
        try fixture.response(math, .teacher, round: 0, "156")
        try fixture.response(poem, .teacher, round: 0, "There once was a cat")
        try fixture.round(1)
        let context = fixture.context(models: EngineModels(teacher: try fixture.model(.teacher)), concurrency: 2)

        let outcome = try await RefineStage().run(round: 1, context: context)
        #expect(outcome == .completed(summary: "refined 2/2"))
        try fixture.read { reader in
            let refined = try #require(try reader.response(instructionID: math, role: .refined, round: 1))
            #expect(refined.text == "Refined [What is 12 * 13?] from [156]")
            #expect(try reader.response(instructionID: math, role: .teacher, round: 0)?.text == "156")
            #expect(try reader.bestResponse(instructionID: poem, upToRound: 1)?.role == .refined)
            #expect(try reader.stageProgress(round: 1, stage: .refine)?.done == 2)
        }
        // The category picks the style: Math gets the reasoning template, Writing the general one.
        let prompts = try #require(fixture.server).requests.map { String(decoding: $0.body, as: UTF8.self) }
        #expect(prompts.filter { $0.contains("reasons step by step") }.count == 1)

        #expect((fixture.server?.maxInFlight ?? 0) <= 2)
        // Idempotent: nothing left, nothing asked.
        let again = try await RefineStage().run(round: 1, context: context)
        #expect(again == .completed(summary: "refined 2/2"))
        #expect(fixture.server?.requestCount == 2)
    }

    @Test func refineOffIsSkipped() async throws {
        let fixture = try EngineFixture()
        fixture.config.curriculum.refine = false
        #expect(try await RefineStage().run(round: 1, context: fixture.context()) == .skipped(reason: "refine is off (curriculum.refine)"))
    }
}
