import Foundation
import Testing
import TapirCore
import TapirStore
import TapirTestSupport

/// `tapir status`, `tapir doctor` and `tapir resume` on a role the engine paused.
@Suite("role health in the CLI", .serialized)
struct RoleHealthCommandTests {
    @Test func pausedRoleIsShownCountsAsUnusableAndIsClearedByResume() async throws {
        let server = try LoopbackHTTPServer.openAICompatible(models: ["gpt-4o", "gpt-4o-mini"]) { _ in "ok" }
        defer { server.stop() }
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("tapir-health-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        let workspace = try Workspace.create(at: root)
        var config = try String(contentsOf: workspace.configURL, encoding: .utf8)
        config = config.replacingOccurrences(of: "https://api.openai.com/v1", with: server.baseURL)
        try config.write(to: workspace.configURL, atomically: true, encoding: .utf8)
        let store = try workspace.openStore()
        // The reason comes from an endpoint: an escape sequence in it must not reach the terminal raw.
        try await store.write { w in
            _ = try w.updateRoleHealth(RoleHealthRecord(
                role: .teacher, state: .paused, reason: "3 consecutive requests failed; last: HTTP 503 \u{1b}[31moverloaded",
                consecutiveFailures: 3, lastFailureAt: Date(), revision: 3))
            _ = try w.updateRoleHealth(RoleHealthRecord(role: .judge, state: .failing, reason: "1 consecutive failure(s)",
                                                        consecutiveFailures: 1, revision: 1))
        }
        let environment = ["OPENAI_API_KEY": "sk-health-test"]

        let status = try await TapirProcess.run(["status", "--workspace", root.path])
        #expect(status.status == 0, "\(status.stderr)")
        #expect(status.stdout.contains("teacher  PAUSED  3 consecutive failure(s)"), "\(status.stdout)")
        #expect(status.stdout.contains("HTTP 503"))
        #expect(!status.stdout.contains("\u{1b}"))
        #expect(status.stdout.contains("judge  FAILING"))
        #expect(status.stdout.contains("tapir resume"))
        let json = try await TapirProcess.run(["status", "--json", "--workspace", root.path])
        #expect(json.stdout.contains("\"roleHealth\""))
        #expect(json.stdout.contains("\"state\" : \"paused\""), "\(json.stdout)")
        #expect(json.stdout.contains("\"last_failure_at\" : \"20"), "\(json.stdout)")  // ISO 8601 dates

        // The endpoint answers, but the engine would refuse the paused role: doctor says so.
        let doctor = try await TapirProcess.run(["doctor", "--workspace", root.path], environment: environment)
        #expect(doctor.status != 0, "\(doctor.stdout)")
        #expect(doctor.stdout.contains("teacher  PAUSED"), "\(doctor.stdout)")

        let resume = try await TapirProcess.run(["resume", "--workspace", root.path])
        #expect(resume.status == 0)
        #expect(resume.stdout.contains("role teacher resumed"), "\(resume.stdout)")
        #expect(!resume.stdout.contains("\u{1b}"))
        #expect(try store.roleHealth().allSatisfy { $0.state == .ok })

        let after = try await TapirProcess.run(["status", "--workspace", root.path])
        #expect(!after.stdout.contains("PAUSED") && !after.stdout.contains("FAILING"), "\(after.stdout)")
        let healthy = try await TapirProcess.run(["doctor", "--workspace", root.path], environment: environment)
        #expect(healthy.status == 0, "\(healthy.stdout)\n\(healthy.stderr)")
    }
}
