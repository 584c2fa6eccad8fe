import Foundation
import Testing
import TapirCore
import TapirLLM
import TapirStore
import TapirTestSupport
@testable import TapirEngine

/// Bad inputs over the real store and real HTTP: a teacher or judge that does not answer in
/// time fails that one instruction (recorded as an error event naming it), the others are
/// finished and stored, the stage ends failed, and a rerun asks again for exactly the failed
/// instruction. (A judge that answers garbage is in `JudgeStageTests`; an expansion that
/// repeats a seed in `ExpandStageTests`; a failing trainer through `tapir run` in
/// `EngineRunBadInputTests`.)
@Suite struct StageItemFailureTests {
    /// A client for `role` on `server` that gives up after one second, without retries.
    private func impatient(_ role: ModelRole, on server: LoopbackHTTPServer, store: WorkspaceStore) throws -> any ChatModel {
        let config = RoleConfig(provider: .openai, baseURL: server.baseURL, model: role.rawValue,
                                maxConcurrency: 4, maxAttempts: 1, timeoutSeconds: 1)
        return CachingChatModel(base: try OpenAIClient(role: role, config: config, environment: [:]), store: store)
    }

    private func bodies(_ server: LoopbackHTTPServer, containing text: String) -> Int {
        server.requests.filter { $0.bodyText.contains(text) }.count
    }

    @Test func aTeacherTimeoutFailsOnlyItsInstructionAndARerunCompletesIt() async throws {
        let fixture = try EngineFixture()
        fixture.config.curriculum.teacher = .model
        fixture.config.curriculum.rounds = 1
        let roles = ScriptedRoles(slowReplies: true, slowDelay: 3)
        let server = try roles.server()
        defer { server.stop() }
        let texts = ["Say hello.", "Name a colour.", "\(ScriptedRoles.slowMarker) Count to three.", "Spell cat."]
        let ids = try texts.map { try fixture.instruction($0, category: "Others") }
        let context = fixture.context(models: EngineModels(teacher: try impatient(.teacher, on: server, store: fixture.store)),
                                      concurrency: 4)
        let runner = RoundRunner(context: context, stages: [TeachStage()])

        guard case let .failed(error) = await runner.run() else { Issue.record("expected the stage to fail"); return }
        #expect(error.contains("1 instruction(s) failed in teach") && error.contains("3 finished"), "\(error)")
        #expect(try fixture.read { try $0.round(1)?.stageState } == .failed)
        let written = try fixture.read { try $0.responses(role: .teacher, round: 1) }
        #expect(Set(written.map(\.instructionID)) == Set([ids[0], ids[1], ids[3]]))
        // One error event of the stage names the instruction (the run's failure message names it too).
        let recorded = try fixture.events(containing: "instruction \(ids[2]):").filter { $0.source == "teach" }
        #expect(recorded.count == 1 && recorded.first?.level == .error && recorded.first?.stage == .teach)
        #expect(recorded.first?.message.contains("timed out") == true, "\(recorded.map(\.message))")
        #expect(try fixture.read { try $0.stageProgress(round: 1, stage: .teach) }.map { ($0.done, $0.total) } ?? (0, 0) == (3, 4))

        roles.slowReplies = false
        #expect(await runner.run() == .done)
        let all = try fixture.read { try $0.responses(role: .teacher, round: 1) }
        #expect(Set(all.map(\.instructionID)) == Set(ids))
        #expect(all.first { $0.instructionID == ids[2] }?.text == ScriptedRoles.referencePrefix + texts[2])
        // Finished work was not asked for again; the timed-out one twice (the second answered).
        for (index, text) in texts.enumerated() { #expect(bodies(server, containing: text) == (index == 2 ? 2 : 1)) }
    }

    @Test func aJudgeTimeoutFailsOnlyItsInstructionAndARerunCompletesIt() async throws {
        let fixture = try EngineFixture()
        fixture.config.curriculum.difficulty = .judge
        let roles = ScriptedRoles(slowReplies: true, slowDelay: 3)
        let server = try roles.server()
        defer { server.stop() }
        let texts = ["Name a prime number.", "\(ScriptedRoles.slowMarker) Say hello.", "List two fruits."]
        var ids: [Int64] = []
        for text in texts {
            let id = try fixture.instruction(text, category: "Others")
            try fixture.response(id, .teacher, round: 0, ScriptedRoles.referencePrefix + text)
            try fixture.response(id, .student, round: 1, "My answer to \(text)")
            ids.append(id)
        }
        try fixture.round(1)
        let context = fixture.context(models: EngineModels(judge: try impatient(.judge, on: server, store: fixture.store)),
                                      concurrency: 4)

        await #expect(throws: StageItemFailures.self) { try await JudgeStage().run(round: 1, context: context) }
        let judged = try fixture.read { try $0.judgements(round: 1) }
        #expect(Set(judged.map(\.instructionID)) == Set([ids[0], ids[2]]))
        #expect(judged.allSatisfy { $0.status == .ok })
        #expect(try fixture.events(containing: "instruction \(ids[1]):").first?.level == .error)

        roles.slowReplies = false
        let outcome = try await JudgeStage().run(round: 1, context: context)
        #expect(outcome == .completed(summary: "judged 1 instruction(s); 0 failed judgement(s) in round 1"))
        let all = try fixture.read { try $0.judgements(round: 1) }
        #expect(all.count == 3 && all.allSatisfy { $0.status == .ok && $0.mfd != nil })
        for (index, text) in texts.enumerated() {
            // Two orders each; the slow one's two orders were asked again after timing out.
            #expect(bodies(server, containing: text) == (index == 1 ? 4 : 2), "\(text)")
        }
    }
}
