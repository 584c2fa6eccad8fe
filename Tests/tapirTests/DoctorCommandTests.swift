import Foundation
import Testing
import TapirStore
import TapirTestSupport

/// `tapir doctor` run as a process against a workspace whose roles point at loopback endpoints.
@Suite("tapir doctor", .serialized)
struct DoctorCommandTests {
    func tapir(_ arguments: [String], environment: [String: String] = [:]) async throws -> TapirProcess.Run {
        try await TapirProcess.run(arguments, environment: environment)
    }

    /// A fresh workspace whose teacher and judge use `mainURL` and whose classifier uses `classifierURL`.
    func workspace(mainURL: String, classifierURL: String) throws -> URL {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("tapir-doctor-\(UUID().uuidString)")
        try Workspace.create(at: root)
        let configURL = root.appendingPathComponent("tapir.yaml")
        var text = try String(contentsOf: configURL, encoding: .utf8)
        let marker = "\n  classifier:\n"
        let parts = text.components(separatedBy: marker)
        #expect(parts.count == 2)
        text = parts[0].replacingOccurrences(of: "https://api.openai.com/v1", with: mainURL) + marker
            + parts[1].replacingOccurrences(of: "https://api.openai.com/v1", with: classifierURL)
        text = text.replacingOccurrences(of: "max_attempts: 4", with: "max_attempts: 1")
        try text.write(to: configURL, atomically: true, encoding: .utf8)
        return root
    }

    @Test func checksEveryOpenAIRoleOfTheWorkspace() async throws {
        let server = try LoopbackHTTPServer.openAICompatible(models: ["gpt-4o", "gpt-4o-mini"]) { _ in "ok" }
        defer { server.stop() }
        let root = try workspace(mainURL: server.baseURL, classifierURL: server.baseURL)
        defer { try? FileManager.default.removeItem(at: root) }
        let run = try await tapir(["doctor", "--workspace", root.path], environment: ["OPENAI_API_KEY": "sk-doctor-test"])
        #expect(run.status == 0, "\(run.stdout)\n\(run.stderr)")
        let lines = run.stdout.split(separator: "\n").map(String.init)
        for role in ["teacher", "judge", "classifier"] {
            let row = lines.first { $0.hasPrefix(role + " ") }
            #expect(row?.contains(server.baseURL) == true, "\(run.stdout)")
            #expect(row?.contains(" ok ") == true, "\(run.stdout)")
        }
        #expect(run.stdout.contains("native (not checked here): student"))
        // Per role: GET /models and one completion.
        #expect(server.requests.filter { $0.method == "POST" }.count == 3)
        #expect(server.requests.filter { $0.method == "GET" }.count == 3)
        #expect(server.requests.allSatisfy { $0.headers["authorization"] == "Bearer sk-doctor-test" })
    }

    @Test func anUnusableRoleFailsTheCommand() async throws {
        let server = try LoopbackHTTPServer.openAICompatible(models: ["gpt-4o"]) { _ in "ok" }
        let dead = try RefusingPort()
        defer { server.stop() }
        let root = try workspace(mainURL: server.baseURL, classifierURL: dead.baseURL)
        defer { try? FileManager.default.removeItem(at: root) }
        let run = try await tapir(["doctor", "--workspace", root.path], environment: ["OPENAI_API_KEY": "k"])
        #expect(run.status != 0)
        let classifier = run.stdout.split(separator: "\n").first { $0.hasPrefix("classifier ") }
        #expect(classifier?.contains("FAILED") == true, "\(run.stdout)")
        #expect(run.stdout.contains("classifier: "))
    }

    @Test func aMissingKeyVariableIsNamed() async throws {
        let server = try LoopbackHTTPServer.openAICompatible(models: ["gpt-4o", "gpt-4o-mini"]) { _ in "ok" }
        defer { server.stop() }
        let root = try workspace(mainURL: server.baseURL, classifierURL: server.baseURL)
        defer { try? FileManager.default.removeItem(at: root) }
        let run = try await tapir(["doctor", "--workspace", root.path], environment: ["OPENAI_API_KEY": ""])
        #expect(run.status != 0)
        #expect(run.stdout.contains("OPENAI_API_KEY"), "\(run.stdout)")
        #expect(server.requests.filter { $0.method == "POST" }.isEmpty)
    }

    @Test func adHocEndpointNeedsNoWorkspace() async throws {
        let server = try LoopbackHTTPServer.openAICompatible(models: ["tiny"]) { _ in "ok" }
        defer { server.stop() }
        let run = try await tapir(["doctor", "--base-url", server.baseURL, "--model", "tiny"])
        #expect(run.status == 0, "\(run.stdout)\n\(run.stderr)")
        #expect(run.stdout.contains("tiny"))
        let missing = try await tapir(["doctor", "--workspace", "/nonexistent/tapir-ws"])
        #expect(missing.status != 0)
        #expect(missing.stderr.contains("tapir doctor:"))
    }
}
