import Foundation
import Testing
import TapirCore
import TapirLLM
import TapirStore
import TapirTestSupport
@testable import TapirEngine

@Suite struct AnswerStageCancellationTests {
    @Test func cancellingKeepsTheAnswersAlreadyFinished() async throws {
        let fixture = try StageFixture()
        defer { fixture.tearDown() }
        // A second endpoint that answers at once except for SLOW instructions.
        let slowServer = try LoopbackHTTPServer { request in
            let slow = request.bodyText.contains("SLOW")
            return .completion("answer", promptTokens: 5, completionTokens: 2, delay: slow ? 120 : 0)
        }
        defer { slowServer.stop() }
        let ids = try fixture.insert(["fast one", "fast two", "fast three", "SLOW four"])
        let config = RoleConfig(provider: .openai, baseURL: slowServer.baseURL, model: "test-model", maxAttempts: 1,
                                timeoutSeconds: 30, connectTimeoutSeconds: 2, temperature: 0, maxTokens: 16)
        let student = CachingChatModel(base: try OpenAIClient(role: .student, config: config, environment: [:]), store: fixture.store)
        let context = fixture.context(models: EngineModels(student: student))

        let run = Task { try await AnswerStage().run(round: 1, context: context) }
        // Wait (generously: the machine may be loaded) until all four requests arrived and the
        // three fast answers are stored; the slow one cannot finish within the wait.
        let deadline = ContinuousClock.now + .seconds(60)
        while ContinuousClock.now < deadline {
            let stored = try await fixture.store.read { try $0.responses(role: .student, round: 1) }.count
            if slowServer.requestCount >= 4, stored >= 3 { break }
            try await Task.sleep(for: .milliseconds(50))
        }
        run.cancel()
        let result = await run.result
        #expect(throws: (any Error).self) { try result.get() }

        let answered = try await fixture.store.read { try $0.responses(role: .student, round: 1) }.map(\.instructionID).sorted()
        #expect(answered == Array(ids.prefix(3)))
        let progress = try await fixture.store.read { try $0.stageProgress(round: 1, stage: .answer) }
        #expect(progress?.done == 3 && progress?.total == 4)
    }
}
