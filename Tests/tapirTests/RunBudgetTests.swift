import Foundation
import Testing
import TapirCore
import TapirStore
import TapirTestSupport

/// `tapir run` over a real loopback endpoint and a real workspace: a budget cap pauses the
/// engine (exit 3, reason in stdout, events and `tapir status`), nothing paid for is lost,
/// and after raising the cap `tapir resume` + `tapir run` finish without asking twice.
@Suite("tapir run budget pause")
struct RunBudgetTests {
    /// Every chat request body the server received, counted.
    final class Requests: @unchecked Sendable {
        private let lock = NSLock()
        private var counts: [String: Int] = [:]

        func add(_ key: String) {
            lock.lock()
            counts[key, default: 0] += 1
            lock.unlock()
        }

        var snapshot: [String: Int] {
            lock.lock()
            defer { lock.unlock() }
            return counts
        }
    }

    private func config(baseURL: String, runUSD: Double) -> String {
        // 1000 $ per million completion tokens: "answer to …" replies cost a few tenths of a cent.
        func role(_ model: String) -> String {
            "{ provider: openai, base_url: \"\(baseURL)\", model: \(model), max_concurrency: 2, max_attempts: 1, "
                + "price_output_per_million: 1000.0 }"
        }
        return """
        roles:
          student: \(role("student-model"))
          teacher: null
          judge: \(role("judge-model"))
          classifier: \(role("classifier-model"))
        curriculum:
          rounds: 1
          alpha: [0.5]
          teacher: dataset
          refine: false
          expansions_per_round: 0
        budgets:
          run_usd: \(runUSD)
          round_usd: null

        """
    }

    @Test func aBudgetCapPausesTheRunAndResumeContinuesWithoutRepeatingCalls() async throws {
        let requests = Requests()
        let server = try LoopbackHTTPServer.openAICompatible { messages in
            let question = messages.last { $0.role == "user" }?.content ?? ""
            requests.add(question)
            return "answer to: \(question)"
        }
        defer { server.stop() }
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("tapir-budget-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        let workspace = try Workspace.create(at: root)
        let configURL = root.appendingPathComponent("tapir.yaml")
        try config(baseURL: server.baseURL, runUSD: 0.02).write(to: configURL, atomically: true, encoding: .utf8)
        let store = try workspace.openStore()
        let count = 40
        try await store.write { writer in
            for index in 0..<count {
                _ = try writer.insertInstruction(InstructionRecord(
                    text: "Question number \(index): what is \(index) plus \(index)?", source: .dataset,
                    category: "Math", categorySource: .dataset, split: .train))
            }
        }

        let paused = try await TapirProcess.run(["run", "--workspace", root.path, "--until", "answer"])
        #expect(paused.status == 3, "stdout: \(paused.stdout)\nstderr: \(paused.stderr)")
        #expect(paused.stdout.contains("paused: budget: run budget of $0.0200 reached"), "\(paused.stdout)")
        #expect(paused.stdout.contains("budgets.run_usd"))
        let answered = try await store.read { try $0.responses(role: .student, round: 1) }
        #expect(!answered.isEmpty && answered.count < count)
        // Nothing paid for is lost: every successful call has its stored answer.
        let ledger = try await store.read { try $0.ledger() }
        let paidCalls = ledger.reduce(0) { $0 + $1.calls - $1.errors }
        #expect(paidCalls == answered.count)
        #expect(try await store.read { try $0.round(1)?.stageState } == .pending)
        let warning = try await store.read { try $0.events(limit: 1000) }
            .filter { $0.level == .warning && $0.message.contains("answer paused: budget") }
        #expect(warning.count == 1)

        let status = try await TapirProcess.run(["status", "--workspace", root.path])
        #expect(status.stdout.contains("Engine: paused: budget: run budget"), "\(status.stdout)")

        // Still paused until resumed, even with a higher cap.
        try config(baseURL: server.baseURL, runUSD: 100).write(to: configURL, atomically: true, encoding: .utf8)
        let stillPaused = try await TapirProcess.run(["run", "--workspace", root.path, "--until", "answer"])
        #expect(stillPaused.status == 3)
        #expect(try await TapirProcess.run(["resume", "--workspace", root.path]).status == 0)
        let finished = try await TapirProcess.run(["run", "--workspace", root.path, "--until", "answer"])
        #expect(finished.status == 0, "stdout: \(finished.stdout)\nstderr: \(finished.stderr)")
        #expect(try await store.read { try $0.responses(role: .student, round: 1) }.count == count)
        let seen = requests.snapshot
        #expect(seen.count == count)
        #expect(seen.values.allSatisfy { $0 == 1 }, "a request reached the server twice")
    }
}

/// `tapir run` draws progress bars with `--progress bars` (a terminal by default) and plain
/// event lines on a pipe.
@Suite("tapir run progress output")
struct RunProgressOutputTests {
    @Test func barsWhenAskedLinesOnAPipe() async throws {
        let server = try LoopbackHTTPServer.openAICompatible { _ in "an answer" }
        defer { server.stop() }
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("tapir-progress-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        let workspace = try Workspace.create(at: root)
        let role = "{ provider: openai, base_url: \"\(server.baseURL)\", model: m, max_attempts: 1 }"
        try """
        roles: { student: \(role), teacher: null, judge: \(role), classifier: \(role) }
        curriculum: { rounds: 2, alpha: [0.3, 0.6], teacher: dataset, refine: false, expansions_per_round: 0 }

        """.write(to: root.appendingPathComponent("tapir.yaml"), atomically: true, encoding: .utf8)
        let store = try workspace.openStore()
        try await store.write { writer in
            for index in 0..<5 {
                _ = try writer.insertInstruction(InstructionRecord(text: "Task \(index) \u{1B}]0;title\u{07}", source: .dataset))
            }
        }
        let bars = try await TapirProcess.run(["run", "--workspace", root.path, "--until", "answer", "--rounds", "1",
                                               "--progress", "bars"], environment: ["NO_COLOR": "1"])
        #expect(bars.status == 0, "\(bars.stderr)")
        #expect(bars.stdout.contains("\u{1B}[2K") && bars.stdout.contains("tapir run · round 1/1"))
        #expect(bars.stdout.contains("✓ answer") && bars.stdout.contains("5/5 100%"), "\(bars.stdout)")
        #expect(!bars.stdout.contains("\u{1B}[3"), "NO_COLOR: no colours")
        #expect(!bars.stdout.contains("\u{1B}]"), "untrusted text must not reach the terminal raw")

        let lines = try await TapirProcess.run(["run", "--workspace", root.path, "--until", "teach", "--rounds", "1"])
        #expect(lines.status == 0, "\(lines.stderr)")
        #expect(!lines.stdout.contains("\u{1B}"))
        #expect(lines.stdout.contains("round 1: teach"))
    }
}
