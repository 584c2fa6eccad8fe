import Foundation
import TapirCore

/// Checks OpenAI-compatible roles: reachable, model listed by `/models`, a one-token
/// completion and its latency. Native roles are skipped (the native loader checks those).
public enum EndpointDoctor {
    /// Checks every role whose provider is `openai`, in role order, concurrently.
    public static func check(
        roles: [ModelRole: RoleConfig], environment: [String: String] = ProcessInfo.processInfo.environment,
        loop: CurlEventLoop = .shared
    ) async -> [DoctorCheck] {
        let remote = ModelRole.allCases.compactMap { role in roles[role].flatMap { $0.provider == .openai ? (role, $0) : nil } }
        return await withTaskGroup(of: (Int, DoctorCheck).self) { group in
            for (index, (role, config)) in remote.enumerated() {
                group.addTask { (index, await check(role: role, config: config, environment: environment, loop: loop)) }
            }
            var results: [(Int, DoctorCheck)] = []
            for await result in group { results.append(result) }
            return results.sorted { $0.0 < $1.0 }.map(\.1)
        }
    }

    /// Checks one role.
    public static func check(
        role: ModelRole, config: RoleConfig, environment: [String: String] = ProcessInfo.processInfo.environment,
        loop: CurlEventLoop = .shared
    ) async -> DoctorCheck {
        var quick = config
        quick.maxAttempts = 1
        quick.stream = false
        quick.timeoutSeconds = min(config.timeoutSeconds, 60)
        let endpoint = config.baseURL ?? "(no base_url)"
        let model = config.model ?? "(no model)"
        let client: OpenAIClient
        do {
            client = try OpenAIClient(role: role, config: quick, environment: environment, loop: loop)
        } catch {
            return DoctorCheck(role: role, endpoint: endpoint, model: model, reachable: false, modelListed: nil,
                               completionOK: false, latency: nil, problem: String(describing: error))
        }
        var reachable = false
        var listed: Bool?
        var problems: [String] = []
        do {
            let models = try await client.listModels()
            reachable = true
            listed = models.contains(model)
            if listed == false { problems.append("`\(model)` is not among the \(models.count) models the endpoint lists") }
        } catch let error as LLMError {
            if error.status != nil { reachable = true }
            if case .transport = error { problems.append(error.description) }
        } catch {
            problems.append(String(describing: error))
        }
        var completionOK = false
        var latency: Double?
        if reachable || problems.isEmpty {
            let probe = ChatRequest(messages: [.user("Reply with the single word: ok")],
                                    sampling: SamplingParameters(temperature: 0, maxTokens: 1))
            let started = ContinuousClock.now
            do {
                _ = try await client.complete(probe)
                completionOK = true
                reachable = true
                latency = OpenAIClient.seconds(started.duration(to: .now))
            } catch let error as LLMError {
                if error.status != nil { reachable = true }
                problems.append(error.description)
            } catch {
                problems.append(String(describing: error))
            }
        }
        return DoctorCheck(role: role, endpoint: client.endpoint, model: model, reachable: reachable, modelListed: listed,
                           completionOK: completionOK, latency: latency,
                           problem: problems.isEmpty ? nil : problems.joined(separator: "; "))
    }

    /// A plain-text table of the checks, one row per role, problems listed below it.
    public static func table(_ checks: [DoctorCheck]) -> String {
        let header = ["ROLE", "ENDPOINT", "MODEL", "REACHABLE", "LISTED", "COMPLETION", "LATENCY"]
        let rows = checks.map { check -> [String] in
            [check.role.rawValue, check.endpoint, check.model, check.reachable ? "yes" : "no",
             check.modelListed.map { $0 ? "yes" : "no" } ?? "n/a", check.completionOK ? "ok" : "FAILED",
             check.latency.map { String(format: "%.0f ms", $0 * 1000) } ?? "-"]
        }
        let widths = header.indices.map { column in ([header] + rows).map { $0[column].count }.max() ?? 0 }
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { $1.padding(toLength: widths[$0], withPad: " ", startingAt: 0) }
                .joined(separator: "  ").trimmingCharacters(in: .whitespaces)
        }
        var output = ([header] + rows).map(line).joined(separator: "\n")
        if checks.isEmpty { output += "\n(no roles with provider openai)" }
        for check in checks {
            if let problem = check.problem { output += "\n\(check.role.rawValue): \(problem)" }
        }
        return output
    }
}
