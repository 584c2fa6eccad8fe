import Foundation
import TapirCore
import TapirInference
import TapirLLM
import TapirStore

/// The student each round uses: the newest student a trainer run of an earlier round
/// produced (`trainer.student_after`, recorded with the run), else the configured one.
///
/// A GGUF path is loaded natively (once per path, kept for the engine's lifetime) and is the
/// likelihood scorer as well; an `openai:BASE_URL#MODEL` spec becomes an endpoint client with
/// the student role's other settings, through the call cache (it has no likelihoods).
public final class RoundStudents: @unchecked Sendable {
    private let lock = NSLock()
    private var native: [String: LocalModel] = [:]

    public init() {}

    /// The chat model and likelihood scorer of the student for `round`.
    func student(forRound round: Int, context: EngineContext) async throws
        -> (chat: (any ChatModel)?, scorer: (any LikelihoodScorer)?) {
        // Only a run whose `student_after` named a new student (round metric `student_trained`);
        // without it the run's output is a checkpoint folder for the next training only.
        let spec = try await context.store.read { reader -> String? in
            let run = try reader.trainerRuns().filter { $0.round < round && $0.status == .succeeded }.max { $0.round < $1.round }
            guard let run, try reader.round(run.round)?.metrics["student_trained"] == 1 else { return nil }
            return run.output.flatMap { $0.isEmpty ? nil : $0 }
        }
        guard let spec else { return (context.models.student, context.models.studentScorer) }
        let roleConfig = context.config.roles.student
        switch try TrainedStudent.parse(spec, relativeTo: context.workspace.root) {
        case let .gguf(path):
            if let configured = roleConfig.modelPath, roleConfig.provider == .native,
               ModelPath.resolve(configured, environment: ProcessInfo.processInfo.environment) == path {
                return (context.models.student, context.models.studentScorer)
            }
            let model = try load(path, threads: roleConfig.threads, batch: roleConfig.batchSize)
            return (model, model)
        case let .endpoint(baseURL, model):
            var config = roleConfig
            config.provider = .openai
            config.baseURL = baseURL
            config.model = model
            let client = try OpenAIClient(role: .student, config: config, environment: ProcessInfo.processInfo.environment)
            let budget = try await BudgetGuard.fromWorkspace(store: context.store, config: context.config)
            return (CachingChatModel(base: client, store: context.store, useCache: context.config.cache.enabled, budget: budget), nil)
        }
    }

    private func load(_ path: String, threads: Int, batch: Int) throws -> LocalModel {
        try lock.withLock {
            if let model = native[path] { return model }
            guard FileManager.default.fileExists(atPath: path) else {
                throw EngineModelsError.modelFileMissing(role: .student, path: path)
            }
            let model = try LocalModel(path: path, threads: threads, maxBatch: batch)
            native[path] = model
            return model
        }
    }
}
