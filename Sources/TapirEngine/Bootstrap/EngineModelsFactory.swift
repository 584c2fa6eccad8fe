import Foundation
import TapirCore
import TapirInference
import TapirLLM
import TapirStore

/// Why the engine's models could not be built from the configuration.
public enum EngineModelsError: Error, Sendable, CustomStringConvertible {
    /// A `native` role names a GGUF file that is not there.
    case modelFileMissing(role: ModelRole, path: String)
    /// A `native` role has no `model_path`.
    case modelPathMissing(role: ModelRole)

    public var description: String {
        switch self {
        case let .modelFileMissing(role, path):
            "roles.\(role.rawValue).model_path: no GGUF file at \(path) (run `make setup` for the default student, or fix the path)"
        case let .modelPathMissing(role):
            "roles.\(role.rawValue).model_path: a native role needs the path of a GGUF file"
        }
    }
}

/// Builds the engine's `EngineModels` from `tapir.yaml`: native roles share one in-process
/// `LocalModel` per GGUF file; endpoint roles get an `OpenAIClient` answered through the
/// workspace's call cache and cost ledger, all under one budget guard.
public enum EngineModelsFactory {
    public static func make(
        config: TapirConfig, store: WorkspaceStore,
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) async throws -> EngineModels {
        let budget = try await BudgetGuard.fromWorkspace(store: store, config: config)
        var locals: [String: LocalModel] = [:]
        var models: [ModelRole: any ChatModel] = [:]
        var studentScorer: (any LikelihoodScorer)?

        for role in config.usedRoles {
            guard let roleConfig = config.roles[role] else { continue }
            switch roleConfig.provider {
            case .native:
                guard let configured = roleConfig.modelPath, !configured.isEmpty else {
                    throw EngineModelsError.modelPathMissing(role: role)
                }
                let path = ModelPath.resolve(configured, environment: environment)
                guard FileManager.default.fileExists(atPath: path) else {
                    throw EngineModelsError.modelFileMissing(role: role, path: path)
                }
                let local: LocalModel
                if let shared = locals[path] {
                    local = shared
                } else {
                    local = try LocalModel(path: path, threads: roleConfig.threads, maxBatch: roleConfig.batchSize)
                    locals[path] = local
                }
                models[role] = local
                if role == .student { studentScorer = local }
            case .openai:
                let client = try await OpenAIClient.withStoredHealth(role: role, config: roleConfig, store: store, environment: environment)
                models[role] = CachingChatModel(base: client, store: store, useCache: config.cache.enabled, budget: budget)
            }
        }
        return EngineModels(
            student: models[.student], studentScorer: studentScorer, teacher: models[.teacher],
            judge: models[.judge], classifier: models[.classifier])
    }
}
