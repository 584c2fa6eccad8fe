import ArgumentParser
import Foundation
import TapirCore
import TapirLLM

/// `tapir doctor`: checks every role served by an OpenAI-compatible endpoint (reachable,
/// model listed by `/models`, a one-token completion, its latency), prints a table and
/// exits non-zero when a role is unusable.
struct DoctorCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "doctor",
        abstract: "Check that each OpenAI-compatible role answers: reachable, model listed, one-token completion, latency.")

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
        if baseURL == nil { throw ValidationError("pass --base-url and --model to check one endpoint") }
    }

    func run() async throws {
        let role = RoleConfig(provider: .openai, baseURL: baseURL, model: model, apiKeyEnv: apiKeyEnv)
        let usable = await Self.report(roles: [.teacher: role])
        if !usable { throw ExitCode.failure }
    }

    /// Checks `roles`, prints the table; returns whether every checked role is usable.
    static func report(roles: [ModelRole: RoleConfig],
                       environment: [String: String] = ProcessInfo.processInfo.environment) async -> Bool {
        let checks = await EndpointDoctor.check(roles: roles, environment: environment)
        print(EndpointDoctor.table(checks))
        return checks.allSatisfy(\.usable)
    }
}
