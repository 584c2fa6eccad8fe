import Foundation
import Testing
import TapirCore
import TapirLLM
import TapirStore
import TapirTestSupport
@testable import TapirEngine

/// A temp workspace with a real store and a loopback OpenAI-compatible server that plays
/// student, teacher, judge and classifier deterministically (each reached through
/// `OpenAIClient` behind `CachingChatModel` over the store).
struct StageFixture {
    let folder: URL
    let workspace: Workspace
    let store: WorkspaceStore
    let server: LoopbackHTTPServer

    /// Judge: the teacher answer scores 9 (shown first) or 8 (shown second), the student 4
    /// (second) or 6 (first); an instruction containing GARBLE only ever gets prose.
    /// Classifier: "code" → Code Generation, anything else → an unknown label.
    static let judgeSystemPrefix = "You are a fair and careful evaluator"
    static let classifySystemPrefix = "You sort user instructions"

    init() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("tapir-stage-\(UUID().uuidString)")
        workspace = try Workspace.create(at: folder)
        store = try workspace.openStore()
        server = try LoopbackHTTPServer.openAICompatible { messages in
            let system = messages.first { $0.role == "system" }?.content ?? ""
            let user = messages.last { $0.role == "user" }?.content ?? ""
            let all = messages.map(\.content).joined(separator: "\n")
            if system.hasPrefix(Self.judgeSystemPrefix) {
                if all.contains("GARBLE") { return "Both answers have merit; I cannot decide." }
                let teacherAt = all.range(of: "TEACHER-ANSWER")!.lowerBound
                let studentAt = all.range(of: "STUDENT-ANSWER")!.lowerBound
                return teacherAt < studentAt ? "9 4\nThe first answer is more complete." : "6 8\nThe second answer is better."
            }
            if system.hasPrefix(Self.classifySystemPrefix) {
                return all.contains("code") ? "<answer>code generation</answer>" : "<answer>Astrology</answer>"
            }
            return "STUDENT-ANSWER to: \(user.prefix(40))"
        }
    }

    func role(maxTokens: Int = 64) -> RoleConfig {
        RoleConfig(provider: .openai, baseURL: server.baseURL, model: "test-model", maxAttempts: 2, timeoutSeconds: 10,
                   connectTimeoutSeconds: 2, temperature: 0, maxTokens: maxTokens)
    }

    func model(_ role: ModelRole) throws -> any ChatModel {
        let client = try OpenAIClient(role: role, config: self.role(), environment: [:],
                                      retryPolicy: RetryPolicy(baseDelay: 0.05, maxDelay: 0.2, maxServerDelay: 1))
        return CachingChatModel(base: client, store: store)
    }

    func context(curriculum: CurriculumConfig = CurriculumConfig(), models: EngineModels) -> EngineContext {
        var config = TapirConfig.defaults
        config.curriculum = curriculum
        config.roles.student = role()
        config.roles.teacher = role()
        config.roles.judge = role()
        config.roles.classifier = role()
        return EngineContext(workspace: workspace, store: store, config: config, models: models,
                             prompts: PromptLibrary(), concurrency: 4)
    }

    /// Inserts train instructions, each with a dataset teacher response unless listed in `withoutTeacher`.
    @discardableResult
    func insert(_ texts: [String], withoutTeacher: Set<String> = [], category: String? = nil) throws -> [Int64] {
        try store.write { w in
            try texts.map { text in
                let record = try #require(try w.insertInstruction(InstructionRecord(
                    text: text, source: .dataset, category: category, categorySource: category == nil ? nil : .dataset)))
                let id = try #require(record.id)
                if !withoutTeacher.contains(text) {
                    _ = try w.saveResponse(ResponseRecord(instructionID: id, role: .teacher, round: 0, model: "dataset",
                                                          text: "TEACHER-ANSWER for \(text)", origin: "dataset"))
                }
                return id
            }
        }
    }

    func tearDown() {
        server.stop()
        try? FileManager.default.removeItem(at: folder)
    }
}

@Suite struct AnswerStageTests {
    @Test func studentAnswersEveryPendingInstructionOnce() async throws {
        let fixture = try StageFixture()
        defer { fixture.tearDown() }
        let ids = try fixture.insert(["Name a prime number.", "Say hello.", "Count to three."])
        let context = fixture.context(models: EngineModels(student: try fixture.model(.student)))

        let outcome = try await AnswerStage().run(round: 1, context: context)
        guard case .completed = outcome else { Issue.record("unexpected \(outcome)"); return }
        let answers = try await fixture.store.read { try $0.responses(role: .student, round: 1) }
        #expect(answers.map(\.instructionID).sorted() == ids)
        for answer in answers {
            #expect(answer.text.hasPrefix("STUDENT-ANSWER to: "))
            #expect(answer.model == "test-model")
            #expect((answer.completionTokens ?? 0) > 0 && (answer.promptTokens ?? 0) > 0)
            #expect(answer.latency != nil)
        }
        let progress = try #require(try await fixture.store.read { try $0.stageProgress(round: 1, stage: .answer) })
        #expect(progress.done == 3 && progress.total == 3)
        #expect(fixture.server.requestCount == 3)

        // Round 2 answers anew; round 1 again does nothing.
        _ = try await AnswerStage().run(round: 1, context: context)
        #expect(fixture.server.requestCount == 3)
        _ = try await AnswerStage().run(round: 2, context: context)
        #expect(try await fixture.store.read { try $0.responses(role: .student, round: 2) }.count == 3)
    }

    @Test func missingStudentIsATypedError() async throws {
        let fixture = try StageFixture()
        defer { fixture.tearDown() }
        try fixture.insert(["Say hello."])
        await #expect(throws: StageSetupError.self) {
            try await AnswerStage().run(round: 1, context: fixture.context(models: EngineModels()))
        }
    }
}
