import Foundation
import Testing
import TapirCore
import TapirInference
import TapirStore
@testable import TapirEngine

/// The real native student answering and scoring (skipped when the model file is absent).
@Suite struct JudgeStageNativeTests {
    static var modelPath: String {
        let home = ProcessInfo.processInfo.environment["TAPIR_HOME"]
            ?? FileManager.default.homeDirectoryForCurrentUser.appendingPathComponent(".cache/tapir").path
        return home + "/SmolLM2-135M-Instruct.Q4_1.gguf"
    }

    @Test(.enabled(if: FileManager.default.fileExists(atPath: modelPath)))
    func nativeStudentAnswersScoresIFDAndClassifiesByLikelihood() async throws {
        let fixture = try StageFixture()
        defer { fixture.tearDown() }
        let ids = try fixture.insert(["What is the capital of France?", "Name a color."])
        let student = try LocalModel(path: Self.modelPath, threads: 2, maxBatch: 16)
        var context = fixture.context(curriculum: CurriculumConfig(difficulty: .ifd),
                                      models: EngineModels(student: student, studentScorer: student,
                                                           judge: try fixture.model(.judge)))
        context.config.roles.student = RoleConfig(provider: .native, modelPath: Self.modelPath, temperature: 0, maxTokens: 16)

        _ = try await AnswerStage().run(round: 1, context: context)
        let answers = try await fixture.store.read { try $0.responses(role: .student, round: 1) }
        #expect(answers.count == 2)
        #expect(answers.allSatisfy { !$0.text.isEmpty && ($0.completionTokens ?? 99) <= 16 })

        let outcome = try await JudgeStage().run(round: 1, context: context)
        guard case let .completed(summary) = outcome else { Issue.record("unexpected \(outcome)"); return }
        // A judge is configured, but difficulty ifd needs no pairwise judging: it is not asked.
        #expect(summary.hasPrefix("likelihood-scored 2"))
        #expect(summary.contains("pairwise judging skipped: difficulty is ifd"))
        for id in ids {
            let nll = try #require(try await fixture.store.read { try $0.difficulty(instructionID: id, round: 1, kind: .nll) })
            let ifd = try #require(try await fixture.store.read { try $0.difficulty(instructionID: id, round: 1, kind: .ifd) })
            #expect(nll.value.isFinite && nll.value > 0)
            #expect(ifd.value.isFinite && ifd.value > 0)
        }
        #expect(try await fixture.store.read { try $0.judgements(round: 1) }.isEmpty)
        #expect(fixture.server.requestCount == 0)

        // Without a classifier model the student's label likelihood picks a category.
        context.config.taxonomy = TaskTaxonomy(categories: [
            TaskCategory(name: "Geography", targetShare: 0.5), TaskCategory(name: "Others", targetShare: 0.5),
        ])
        let labelled = try await ClassifyStage().run(round: 1, context: context)
        #expect(labelled == .completed(summary: "labelled 2 instruction(s) by label likelihood; 2 active"))
        let records = try await fixture.store.read { try $0.instructions(ids: ids) }
        #expect(records.allSatisfy { ["Geography", "Others"].contains($0.category ?? "") && $0.categorySource == .model })
        #expect(fixture.server.requestCount == 0)
    }
}
