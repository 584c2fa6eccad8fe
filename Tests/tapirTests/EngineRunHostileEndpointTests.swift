import Foundation
import Testing
import TapirCore
import TapirStore
import TapirTestSupport

/// An endpoint whose error reasons carry terminal escape sequences (clear screen, set the
/// title, write the clipboard, colours): `tapir run` reports the failure, but no escape
/// byte reaches its output, the stored events or `tapir status`.
@Suite("engine hostile endpoint", .serialized)
struct EngineRunHostileEndpointTests {
    @Test func escapeSequencesInEndpointErrorsNeverReachTheTerminal() async throws {
        let hostile = "\u{1b}[2J\u{1b}]0;owned\u{07}\u{1b}]52;c;aGVsbG8=\u{07}\u{1b}[31moverloaded\u{1b}[0m"
        let body = String(decoding: try JSONSerialization.data(withJSONObject: ["error": ["message": hostile]]), as: UTF8.self)
        let roles = ScriptedRoles()
        let server = try LoopbackHTTPServer { request in
            // The student's answers fail; everything else (the model list) is answered.
            request.bodyText.contains(#""model":"student""#) ? .json(body, status: 500) : roles.response(to: request)
        }
        defer { server.stop() }
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("tapir-hostile-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        let workspace = try Workspace.create(at: root)
        try EngineScenario.yaml(baseURL: server.baseURL, rounds: 1, timeoutSeconds: 10, nativeStudent: false)
            .write(to: workspace.configURL, atomically: true, encoding: .utf8)
        let store = try workspace.openStore()
        try await store.write { writer in
            for text in ["Say hello.", "Name a colour."] {
                _ = try writer.insertInstruction(InstructionRecord(
                    text: text, source: .dataset, category: "Others", categorySource: .dataset, split: .train))
            }
        }

        let run = try await TapirProcess.run(["run", "--workspace", root.path, "--progress", "lines"])
        #expect(run.status == 1, "\(run.stdout)\n\(run.stderr)")
        #expect(run.stderr.contains("overloaded"), "\(run.stderr)")
        #expect(!run.stdout.contains("\u{1b}") && !run.stderr.contains("\u{1b}") && !run.stderr.contains("\u{07}"),
                "\(run.stdout.debugDescription)\n\(run.stderr.debugDescription)")
        let events = try await store.read { try $0.events() }
        #expect(events.contains { $0.level == .error && $0.message.contains("␛[31moverloaded") }, "\(events.map(\.message))")
        #expect(events.allSatisfy { !$0.message.contains("\u{1b}") })
        let status = try await TapirProcess.run(["status", "--workspace", root.path])
        #expect(status.stdout.contains("overloaded") && !status.stdout.contains("\u{1b}"), "\(status.stdout)")
    }

    @Test func doctorShowsAnEndpointErrorWithEscapeSequencesNeutralised() async throws {
        let hostile = "\u{1b}]0;owned\u{07}\u{1b}[31moverloaded\u{1b}[0m"
        let body = String(decoding: try JSONSerialization.data(withJSONObject: ["error": ["message": hostile]]), as: UTF8.self)
        let roles = ScriptedRoles()
        let server = try LoopbackHTTPServer { request in
            request.method == "POST" ? .json(body, status: 500) : roles.response(to: request)
        }
        defer { server.stop() }
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("tapir-hostile-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        let workspace = try Workspace.create(at: root)
        try EngineScenario.yaml(baseURL: server.baseURL, rounds: 1, timeoutSeconds: 10, nativeStudent: false)
            .write(to: workspace.configURL, atomically: true, encoding: .utf8)
        let doctor = try await TapirProcess.run(["doctor", "--workspace", root.path])
        #expect(doctor.status != 0)
        #expect(doctor.stdout.contains("overloaded"), "\(doctor.stdout)")
        #expect(!doctor.stdout.contains("\u{1b}") && !doctor.stdout.contains("\u{07}"), "\(doctor.stdout.debugDescription)")
    }
}
