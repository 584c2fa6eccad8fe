import Foundation
import Logging
import TapirCore
import TapirStore

extension OpenAIClient {
    /// A client whose role health continues from the workspace's stored `role_health` row
    /// (a role paused in an earlier run stays paused until `tapir resume`) and is stored
    /// there whenever it changes, for `tapir status`, `tapir doctor` and the dashboard.
    public static func withStoredHealth(
        role: ModelRole, config: RoleConfig, store: WorkspaceStore,
        environment: [String: String] = ProcessInfo.processInfo.environment, retryPolicy: RetryPolicy = .standard,
        pauseAfterFailures: Int = 3, logger: Logger = Logger(label: "tapir.llm")
    ) async throws -> OpenAIClient {
        let stored = try await store.read { try $0.roleHealth(role: role) }
        return try OpenAIClient(
            role: role, config: config, environment: environment, retryPolicy: retryPolicy,
            pauseAfterFailures: pauseAfterFailures, logger: logger, initialHealth: stored,
            onHealthChange: { health in
                // Its own task: the database refuses writes from a cancelled task.
                do {
                    _ = try await Task { try await store.write { try $0.updateRoleHealth(health) } }.value
                } catch {
                    logger.error("could not store the health of role \(role.rawValue): \(error)")
                }
            })
    }
}
