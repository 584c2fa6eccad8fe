import Foundation
import Testing
import TapirCore
import TapirStore
import TapirTestSupport

/// The trainer runs in a process group of its own, recorded with the run: an engine killed
/// with SIGKILL during `train` leaves the trainer (and what it started) running, and the
/// next engine start ends that group and records the run as failed; an engine stopped by
/// SIGTERM ends the group itself before it exits.
@Suite("engine orphaned trainer", .serialized)
struct EngineRunOrphanedTrainerTests {
    /// A trainer that records its shell's pid, starts a child that sleeps, and sleeps.
    static func sleepingTrainer(root: URL) -> String {
        """
        echo $$ > "\(root.path)/trainer.pid"
        sleep 300 &
        echo $! > "\(root.path)/child.pid"
        sleep 300

        """
    }

    /// Whether `pid` is a live process (a zombie waiting to be reaped is not).
    static func isRunning(_ pid: Int32) -> Bool {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = stat.lastIndex(of: ")") else { return kill(pid, 0) == 0 }
        let state = stat[stat.index(after: close)...].split(separator: " ").first
        return state != "Z" && state != "X"
    }

    /// Starts `tapir run` with the sleeping trainer and returns once the trainer and its
    /// child run and the run's process group is stored.
    static func startTraining(_ scenario: EngineScenario) async throws -> (TapirChild, trainer: Int32, child: Int32) {
        try sleepingTrainer(root: scenario.root)
            .write(to: scenario.root.appendingPathComponent("fake-trainer.sh"), atomically: true, encoding: .utf8)
        let log = scenario.root.appendingPathComponent("engine-runs.log")
        let engine = try TapirChild(["run", "--workspace", scenario.root.path], log: log)
        let store = try scenario.openStore()
        let deadline = Date().addingTimeInterval(120)
        func pid(_ name: String) -> Int32? {
            (try? String(contentsOf: scenario.root.appendingPathComponent(name), encoding: .utf8))
                .flatMap { Int32($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
        }
        while Date() < deadline {
            let recorded = try await store.read { try $0.trainerRuns(round: 1) }.contains { $0.pgid != nil }
            if let trainer = pid("trainer.pid"), let child = pid("child.pid"), recorded { return (engine, trainer, child) }
            try #require(engine.isRunning, "the engine ended before training: \((try? String(contentsOf: log, encoding: .utf8)) ?? "")")
            try await Task.sleep(nanoseconds: 50_000_000)
        }
        _ = engine.kill()
        throw CancellationError()
    }

    @Test func aTrainerLeftByAKilledEngineIsEndedOnTheNextStart() async throws {
        let scenario = try EngineScenario(rounds: 1, nativeStudent: false)
        let (engine, trainer, child) = try await Self.startTraining(scenario)
        _ = engine.kill()
        _ = await engine.wait()
        // SIGKILL gave the engine no chance: the trainer and its child run on.
        try await Task.sleep(nanoseconds: 300_000_000)
        #expect(Self.isRunning(trainer) && Self.isRunning(child))
        let store = try scenario.openStore()
        let left = try #require(try await store.read { try $0.trainerRuns(round: 1) }.first)
        #expect(left.status == .running && left.pgid != nil && left.processStartTicks != nil)

        // The restart (a working trainer now) ends the group first, then trains again.
        try EngineScenario.trainerScript(exit: 0)
            .write(to: scenario.root.appendingPathComponent("fake-trainer.sh"), atomically: true, encoding: .utf8)
        let restarted = try await scenario.run()
        #expect(restarted.status == 0, "\(restarted.stderr)")
        #expect(!Self.isRunning(trainer) && !Self.isRunning(child))
        let runs = try await store.read { try $0.trainerRuns(round: 1) }
        #expect(runs.map(\.status) == [.failed, .succeeded])
        let events = try await store.read { try $0.events(minLevel: .warning) }.map(\.message)
        #expect(events.contains { $0.contains("trainer run \(left.id!) was still running after its engine stopped") }, "\(events)")
    }

    @Test func aTerminatedEngineEndsItsTrainerBeforeExiting() async throws {
        let scenario = try EngineScenario(rounds: 1, nativeStudent: false)
        let (engine, trainer, child) = try await Self.startTraining(scenario)
        kill(engine.process.processIdentifier, SIGTERM)
        let (status, killed) = await engine.wait()
        // The engine stopped on its own terms (paused: cancelled) with the group already gone.
        #expect(!killed && status == 3)
        #expect(!Self.isRunning(trainer) && !Self.isRunning(child))
        let store = try scenario.openStore()
        #expect(try await store.read { try $0.trainerRuns(round: 1) }.map(\.status) == [.failed])
        #expect(try await store.read { try $0.round(1) }?.stageState == .pending)
    }
}
