import Foundation
import Testing
import TapirCore
import TapirStore
@testable import TapirEngine

/// The trainer runner with real `/bin/sh` subprocesses on a real workspace.
@Suite struct TrainerRunnerTests {
    /// A fresh workspace (in a folder whose name has a space and a quote) and a data file.
    final class Fixture: @unchecked Sendable {
        let parent: URL
        let workspace: Workspace
        let store: WorkspaceStore
        let data: URL

        init() throws {
            parent = FileManager.default.temporaryDirectory.appendingPathComponent("tapir trainer \(UUID().uuidString)")
            workspace = try Workspace.create(at: parent.appendingPathComponent("my 'ws'"))
            store = try workspace.openStore()
            let exportDir = workspace.exportURL(round: 1)
            try FileManager.default.createDirectory(at: exportDir, withIntermediateDirectories: true)
            data = exportDir.appendingPathComponent("train alpaca.json")
            try #"[{"instruction":"hi","input":"","output":"hello"}]"#.write(to: data, atomically: true, encoding: .utf8)
        }

        func runner(_ config: TrainerConfig, grace: Double = 2) -> TrainerRunner {
            TrainerRunner(config: config, workspace: workspace, store: store, gracePeriod: grace, flushInterval: 0.05)
        }

        func job(round: Int = 1) -> TrainerJob {
            TrainerJob(round: round, data: data, base: "/models/base model.gguf")
        }

        func events() throws -> [EventRecord] {
            try store.read { try $0.events(limit: 10_000) }.filter { $0.source == "trainer" }
        }

        deinit { try? FileManager.default.removeItem(at: parent) }
    }

    /// A trainer script printing HF dict lines on stderr, JSON lines on stdout, and writing its model.
    static let trainerScript = #"""
        printf 'loading %s from %s\n' "$1" "$2"
        for i in 1 2 3; do
          echo "{'loss': 2.$i, 'grad_norm': 1.5, 'learning_rate': 5e-05, 'epoch': 0.$i}" >&2
        done
        sleep 0.3  # stdout and stderr are read apart: keep the order of the loss points known
        printf '{"step": 10, "loss": 1.25, "learning_rate": 4e-05}\n'
        printf '{"step": 20, "loss": 0.75}\n'
        printf ' 50%%|#####     | 1/2 [00:01<00:01]\r100%%|##########| 2/2\n'
        echo "env=$TAPIR_TEST_VAR cwd=$(pwd)"
        printf 'GGUF' > "$3/model.gguf"
        """#

    @Test func aTrainerRunIsLoggedParsedAndRecorded() async throws {
        let fx = try Fixture()
        let script = fx.workspace.root.appendingPathComponent("trainers/fake train.sh")
        try FileManager.default.createDirectory(at: script.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Self.trainerScript.write(to: script, atomically: true, encoding: .utf8)
        let config = TrainerConfig(
            command: "sh 'trainers/fake train.sh' {data} '{base}' {output} {round}",
            studentAfter: "{output}/model.gguf", env: ["TAPIR_TEST_VAR": "from config"])
        let outcome = try await fx.runner(config).run(fx.job())
        guard case let .trained(summary) = outcome else { Issue.record("not trained: \(outcome)"); return }

        let output = fx.workspace.root.appendingPathComponent("checkpoints/round-1").path
        #expect(summary.output == output)
        #expect(summary.student == .gguf(path: output + "/model.gguf"))
        #expect(summary.lossPoints == 5)
        #expect(summary.finalLoss == 0.75)

        let runs = try await fx.store.read { try $0.trainerRuns(round: 1) }
        #expect(runs.count == 1)
        let run = try #require(runs.first)
        #expect(run.status == .succeeded && run.exitCode == 0 && run.finishedAt != nil)
        #expect(run.output == output + "/model.gguf")
        #expect(run.command.contains("train alpaca.json'"))
        #expect(run.command.contains(#"my '\''ws'\''"#))
        // HF prints have no step: numbered 1, 2, 3; JSON lines carry theirs.
        let loss = try await fx.store.read { try $0.loss(runID: run.id!) }
        #expect(loss.map(\.step) == [1, 2, 3, 10, 20])
        #expect(loss.map(\.loss) == [2.1, 2.2, 2.3, 1.25, 0.75])

        let log = try String(contentsOf: fx.runner(config).logURL(round: 1), encoding: .utf8)
        #expect(log.contains("loading \(fx.data.path) from /models/base model.gguf"))
        #expect(log.contains("[stderr] {'loss': 2.3"))
        #expect(log.contains("100%|##########| 2/2"))
        #expect(log.contains("env=from config cwd=\(fx.workspace.root.path)"))

        let events = try fx.events()
        #expect(events.allSatisfy { $0.round == 1 && $0.stage == .train })
        #expect(events.contains { $0.message.hasPrefix("loading ") })
        #expect(events.contains { $0.message.contains("started") })
        #expect(events.last?.message.contains("trained in") == true)
    }

    @Test func aFailingTrainerFailsWithItsLastLines() async throws {
        let fx = try Fixture()
        let config = TrainerConfig(command: "for i in $(seq 1 30); do echo \"line $i\"; done; sleep 0.2; echo 'CUDA out of memory' >&2; exit 1")
        do {
            _ = try await fx.runner(config).run(fx.job(round: 2))
            Issue.record("the run did not fail")
        } catch let TrainerError.exited(code, lastLines, logPath) {
            #expect(code == 1)
            #expect(lastLines.count == 20)
            #expect(lastLines.first == "line 12")
            #expect(lastLines.last == "CUDA out of memory")
            #expect(logPath.hasSuffix("logs/trainer-round-2.log"))
            #expect(TrainerError.exited(code: code, lastLines: lastLines, logPath: logPath).description.contains("CUDA out of memory"))
        }
        let run = try #require(try await fx.store.read { try $0.trainerRuns(round: 2) }.first)
        #expect(run.status == .failed && run.exitCode == 1 && run.finishedAt != nil)
        let events = try fx.events()
        #expect(events.filter { $0.message.hasPrefix("line ") }.count == 30)
        #expect(events.contains { $0.level == .error && $0.message.contains("exited with status 1") })
    }

    @Test func cancellationEndsTheWholeProcessGroupPromptly() async throws {
        let fx = try Fixture()
        let pidFile = fx.workspace.root.appendingPathComponent("child.pid")
        // The shell starts a grandchild and waits; SIGTERM must reach the grandchild too.
        let config = TrainerConfig(command: "sleep 60 & echo $! > {workspace}/child.pid; echo started; wait")
        let runner = fx.runner(config, grace: 1)
        let task = Task { try await runner.run(fx.job(round: 3)) }
        var childPID: Int32?
        for _ in 0..<100 where childPID == nil {
            try await Task.sleep(for: .milliseconds(50))
            childPID = (try? String(contentsOf: pidFile, encoding: .utf8)).flatMap { Int32($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
        }
        let child = try #require(childPID)
        #expect(kill(child, 0) == 0)
        let start = ContinuousClock.now
        task.cancel()
        let result = await task.result
        let elapsed = start.duration(to: .now)
        // Within the 1 s grace period plus scheduling, far from the grandchild's 60 s (loose
        // bound: the suite also runs on busy machines).
        #expect(elapsed < .seconds(20))
        guard case .failure(let error) = result else { Issue.record("the run was not cancelled"); return }
        #expect(error is CancellationError)
        // The grandchild is gone (reaped by init once killed; allow a few seconds under load).
        var alive = true
        for _ in 0..<200 where alive {
            alive = kill(child, 0) == 0 && !isZombie(child)
            if alive { try await Task.sleep(for: .milliseconds(50)) }
        }
        #expect(!alive)
        let run = try #require(try await fx.store.read { try $0.trainerRuns(round: 3) }.first)
        #expect(run.status == .failed && run.finishedAt != nil)
        #expect(try fx.events().contains { $0.message.contains("cancelled") })
    }

    @Test func aChattyTrainerLosesNoLine() async throws {
        let fx = try Fixture()
        let config = TrainerConfig(command: #"i=0; while [ $i -lt 3000 ]; do i=$((i+1)); echo "{\"step\": $i, \"loss\": 1.$i}"; done"#)
        guard case let .trained(summary) = try await fx.runner(config).run(fx.job(round: 6)) else {
            Issue.record("not trained"); return
        }
        #expect(summary.lossPoints == 3000)
        let run = try #require(try await fx.store.read { try $0.trainerRuns(round: 6) }.first)
        let loss = try await fx.store.read { try $0.loss(runID: run.id!) }
        #expect(loss.count == 3000)
        #expect(loss.first?.step == 1 && loss.last?.step == 3000)
        let lines = try fx.events().filter { $0.message.hasPrefix("{\"step\"") }
        #expect(lines.count == 3000)
        #expect(lines.compactMap(\.id) == lines.compactMap(\.id).sorted())
    }

    @Test func aLeftoverBackgroundChildDoesNotHoldTheStage() async throws {
        let fx = try Fixture()
        // The command exits at once, but a background child keeps its output pipe open.
        let config = TrainerConfig(command: "(sleep 60 &); echo done")
        let start = ContinuousClock.now
        let outcome = try await fx.runner(config, grace: 1).run(fx.job(round: 7))
        // Ended after the 1 s grace period, far from the child's 60 s (loose bound: busy machines).
        #expect(start.duration(to: .now) < .seconds(20))
        guard case .trained = outcome else { Issue.record("not trained: \(outcome)"); return }
        #expect(try fx.events().contains { $0.message == "done" })
    }

    @Test func noTrainerIsASkippedRound() async throws {
        let fx = try Fixture()
        let outcome = try await fx.runner(TrainerConfig()).run(fx.job(round: 4))
        #expect(outcome == .skipped(reason: "no trainer"))
        #expect(outcome.message == "skipped: no trainer")
        let run = try #require(try await fx.store.read { try $0.trainerRuns(round: 4) }.first)
        #expect(run.status == .skipped)
        #expect(try fx.events().contains { $0.message.hasPrefix("skipped: no trainer") })
    }

    @Test func studentAfterAsEndpointOrMissingFile() async throws {
        let fx = try Fixture()
        let endpoint = TrainerConfig(command: "true", studentAfter: "openai:http://127.0.0.1:8000/v1#student-r{round}")
        guard case let .trained(summary) = try await fx.runner(endpoint).run(fx.job(round: 2)) else {
            Issue.record("not trained"); return
        }
        #expect(summary.student == .endpoint(baseURL: "http://127.0.0.1:8000/v1", model: "student-r2"))

        let missing = TrainerConfig(command: "echo done", studentAfter: "{output}/model.gguf")
        await #expect(throws: TrainerError.self) { _ = try await fx.runner(missing).run(fx.job(round: 5)) }
        let run = try #require(try await fx.store.read { try $0.trainerRuns(round: 5) }.first)
        #expect(run.status == .failed && run.exitCode == 0)

        #expect(throws: TrainerError.invalidStudentSpec("openai:no-model")) {
            _ = try TrainedStudent.parse("openai:no-model", relativeTo: fx.workspace.root)
        }
        #expect(try TrainedStudent.parse("out/m.gguf", relativeTo: URL(fileURLWithPath: "/w")) == .gguf(path: "/w/out/m.gguf"))
    }

    @Test func missingWorkingFolderIsALaunchFailure() async throws {
        let fx = try Fixture()
        let config = TrainerConfig(command: "true", workingDir: "no such folder")
        do {
            _ = try await fx.runner(config).run(fx.job())
            Issue.record("the run started")
        } catch let TrainerError.launchFailed(_, reason) {
            #expect(reason.contains("no such folder"))
        }
        #expect(try await fx.store.read { try $0.trainerRuns(round: 1) }.first?.status == .failed)
    }

    @Test func theExampleHelperRunsThroughTheRunnerWithAwkwardPaths() async throws {
        // The first step of the axolotl example, as written there, on a workspace whose path
        // holds a space and quotes; the helper needs only Python's standard library.
        let fx = try Fixture()
        let repo = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let trainers = fx.workspace.root.appendingPathComponent("trainers")
        try FileManager.default.createDirectory(at: trainers, withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: repo.appendingPathComponent("examples/trainers/tapir_trainer_util.py"),
                                         to: trainers.appendingPathComponent("tapir_trainer_util.py"))
        let config = TrainerConfig(command: """
            python3 trainers/tapir_trainer_util.py messages '{data}' '{output}/train_messages.jsonl' \
            && python3 trainers/tapir_trainer_util.py base '{base}'
            """, env: ["TAPIR_HF_BASE": "my-org/base-model"])
        guard case let .trained(summary) = try await fx.runner(config).run(fx.job()) else { Issue.record("not trained"); return }
        let written = try String(contentsOfFile: summary.output + "/train_messages.jsonl", encoding: .utf8)
        let record = try #require(try JSONSerialization.jsonObject(with: Data(written.utf8)) as? [String: Any])
        let messages = try #require(record["messages"] as? [[String: String]])
        #expect(messages == [["role": "user", "content": "hi"], ["role": "assistant", "content": "hello"]])
        #expect(try fx.events().contains { $0.message == "my-org/base-model" })
    }

    @Test func exampleTrainerConfigsUseOnlyKnownPlaceholders() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let examples = root.appendingPathComponent("examples/trainers")
        let folders = try FileManager.default.contentsOfDirectory(atPath: examples.path)
        var checked = 0
        for folder in folders.sorted() {
            let file = examples.appendingPathComponent(folder).appendingPathComponent("tapir-trainer.yaml")
            guard let text = try? String(contentsOf: file, encoding: .utf8) else { continue }
            let names = TrainerCommandTemplate.placeholderNames(in: text)
            #expect(!names.isEmpty, "\(folder)")
            for name in names { #expect(TrainerConfig.placeholders.contains(name), "\(folder): {\(name)}") }
            #expect(text.contains("student_after: \"{output}/model.gguf\""), "\(folder)")
            checked += 1
        }
        #expect(checked >= 4)
    }
}

/// Whether `pid` is a zombie (exited, not yet reaped).
func isZombie(_ pid: Int32) -> Bool {
    guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
          let close = stat.lastIndex(of: ")") else { return false }
    return stat[stat.index(close, offsetBy: 2)...].hasPrefix("Z")
}
