import ArgumentParser
import Foundation
import TapirCore
import TapirLLM
import TapirStore

/// `tapir doctor`: checks every role of the workspace served by an OpenAI-compatible
/// endpoint (reachable, model listed by `/models`, a one-token completion, its latency),
/// prints a table and exits non-zero when a role is unusable. `--base-url` and `--model`
/// check one endpoint without a workspace.
struct DoctorCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "doctor",
        abstract: "Check that each OpenAI-compatible role answers: reachable, model listed, one-token completion, latency.",
        discussion: """
            Without --base-url, checks every role of the workspace's tapir.yaml whose provider is \
            openai (native roles are skipped). API keys are read from the environment variables \
            the roles name in api_key_env.
            """)

    @OptionGroup var workspaceOptions: WorkspaceOptions

    @Option(name: .customLong("base-url"), help: ArgumentHelp(
        "Check this endpoint instead of the workspace's roles, e.g. http://127.0.0.1:8000/v1.", valueName: "URL"))
    var baseURL: String?

    @Option(help: "Model name for --base-url.")
    var model: String?

    @Option(name: .customLong("api-key-env"), help: ArgumentHelp(
        "Environment variable holding the API key for --base-url.", valueName: "NAME"))
    var apiKeyEnv: String?

    func validate() throws {
        if baseURL != nil, model == nil { throw ValidationError("--base-url needs --model") }
        if baseURL == nil, model != nil || apiKeyEnv != nil {
            throw ValidationError("--model and --api-key-env go with --base-url")
        }
    }

    func run() async throws {
        let roles: [ModelRole: RoleConfig]
        var stored: [RoleHealthRecord] = []
        if let baseURL {
            roles = [.teacher: RoleConfig(provider: .openai, baseURL: baseURL, model: model, apiKeyEnv: apiKeyEnv)]
        } else {
            do {
                let workspace = try workspaceOptions.workspace()
                roles = try Self.workspaceRoles(workspace)
                stored = try Self.storedHealth(workspace)
            } catch {
                printError("tapir doctor: \(error)")
                throw ExitCode.failure
            }
        }
        let usable = await Self.report(roles: roles, storedHealth: stored)
        if !usable { throw ExitCode.failure }
    }

    /// The role health the workspace's engine stored (none when it has no database yet).
    static func storedHealth(_ workspace: Workspace) throws -> [RoleHealthRecord] {
        guard FileManager.default.fileExists(atPath: workspace.databaseURL.path) else { return [] }
        return try workspace.openStore().roleHealth()
    }

    /// The configured roles of `workspace` (an absent teacher is left out).
    static func workspaceRoles(_ workspace: Workspace) throws -> [ModelRole: RoleConfig] {
        let config = try workspace.loadConfig()
        var roles: [ModelRole: RoleConfig] = [:]
        for role in ModelRole.allCases {
            if let roleConfig = config.roles[role] { roles[role] = roleConfig }
        }
        return roles
    }

    /// Checks `roles`, prints the table and the stored health of failing or paused roles;
    /// returns whether every checked role is usable (a role the engine paused is not, until
    /// `tapir resume`).
    static func report(roles: [ModelRole: RoleConfig], storedHealth: [RoleHealthRecord] = [],
                       environment: [String: String] = ProcessInfo.processInfo.environment) async -> Bool {
        let checks = await EndpointDoctor.check(roles: roles, environment: environment)
        // Problems quote the endpoint's own error text: neutralised before it reaches the terminal.
        print(TerminalSanitizer.sanitize(EndpointDoctor.table(checks)))
        let skipped = ModelRole.allCases.filter { roles[$0]?.provider == .native }
        if !skipped.isEmpty {
            print("native (not checked here): " + skipped.map(\.rawValue).joined(separator: ", "))
        }
        let configured = storedHealth.filter { roles[$0.role]?.provider == .openai }
        for line in RoleHealthText.lines(configured) { print(line) }
        return checks.allSatisfy(\.usable) && !configured.contains(where: \.isPaused)
    }
}
