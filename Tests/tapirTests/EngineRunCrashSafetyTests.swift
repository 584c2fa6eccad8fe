import Foundation
import Testing
import TapirCore
import TapirStore
import TapirTestSupport

/// Crash safety of the engine: `tapir run` is killed with SIGKILL at seeded random moments of
/// a round and restarted until it finishes; the final workspace must hold the same content
/// as an uninterrupted run's (`DatabaseSnapshot`), and the scripted server must not have
/// been asked anything twice, except what a kill cut off.
///
/// On repeated requests, honestly: a request in flight when the engine is killed may have
/// been answered by the server (even completely) without its reply reaching the store —
/// the engine records a reply in its call cache right after reading it, and a kill can fall
/// in between. The restarted engine must then ask again; that is correct, not a bug. So a
/// request body may appear more than once only if every earlier copy was received while a
/// later-killed engine was alive (until its end was seen: a request can still leave while
/// the signal is on its way) and was still unsettled at the kill: its reply never
/// written, or written less than `settleGrace` seconds before the kill (the time the engine
/// may take to store a reply it has read, generous for a loaded 2-core machine). A reply
/// written earlier than that was stored by the engine, so asking again would mean the cache
/// or a stage lost finished work.
@Suite("engine crash safety", .serialized)
struct EngineRunCrashSafetyTests {
    static let settleGrace = 3.0

    /// With the scripted server as the student too (every stage takes milliseconds): two
    /// rounds, a kill in each of the ten stages of each.
    @Test func scriptedStudentKilledInEveryStageEndsWithTheUninterruptedContent() async throws {
        let targets = [1, 2].flatMap { round in Stage.allCases.map { (round, $0, $0 == .train ? 0.2 : 0.02) } }
        try await Self.killAndCompare(nativeStudent: false, rounds: 2, seed: 0x51ed_c0de, targets: targets)
    }

    /// Runs the scenario once uninterrupted and once killed at each target stage (after a
    /// seeded random delay up to the target's span of seconds), then compares.
    static func killAndCompare(nativeStudent: Bool, rounds: Int, seed: UInt64, targets: [(Int, Stage, Double)]) async throws {
        // The reference: one uninterrupted run.
        let reference = try EngineScenario(rounds: rounds, nativeStudent: nativeStudent)
        let started = Date()
        let plain = try await reference.run()
        let duration = Date().timeIntervalSince(started)
        try #require(plain.status == 0, "uninterrupted run: \(plain.stderr)")
        let expected = try DatabaseSnapshot.lines(of: reference.workspace, serverURL: reference.server.baseURL)

        // The same workspace content, killed at seeded random moments, restarted until done.
        // Each kill waits for a target stage to be running (the store says so), then for a
        // seeded random delay within that stage's usual length: the native stages take
        // seconds, the HTTP ones milliseconds, so plain random delays would rarely hit them.
        let scenario = try EngineScenario(rounds: rounds, nativeStudent: nativeStudent)
        let store = try scenario.openStore()
        var random = SplitMix64(seed: seed)
        let log = scenario.root.appendingPathComponent("engine-runs.log")
        var kills: [(start: Date, kill: Date, end: Date, stage: String)] = []
        var finished = false
        for attempt in 0..<(targets.count + 6) {
            let child = try TapirChild(["run", "--workspace", scenario.root.path], log: log)
            if kills.count < targets.count {
                let (targetRound, target, span) = targets[kills.count]
                let delay = random.nextUnit() * span
                // Wait for the target stage (or a later one) to be under way.
                var reached = false
                while child.isRunning, !reached {
                    if let round = try await store.read({ try $0.latestRound() }), let stage = round.stage,
                       round.number > targetRound
                        || (round.number == targetRound && (stage > target || (stage == target && round.stageState == .running))) {
                        reached = true
                    } else {
                        try await Task.sleep(nanoseconds: 2_000_000)
                    }
                }
                if reached, await child.wait(upTo: delay) == false {
                    let stage = try await store.read { try $0.latestRound().map { "\($0.number):\($0.stage?.rawValue ?? "-")" } } ?? "?"
                    let killedAt = child.kill()
                    let (status, wasKilled) = await child.wait()
                    // It may have ended on its own just before the signal; then it is no kill.
                    if wasKilled { kills.append((child.started, killedAt, Date(), stage)) } else { #expect(status == 0) }
                    continue
                }
            }
            let (status, _) = await child.wait()
            let output = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
            #expect(status == 0, "attempt \(attempt) exited \(status):\n\(output.suffix(3000))")
            finished = status == 0
            break
        }
        #expect(finished)
        #expect(kills.count >= targets.count - 2, "the run finished before the kills could interrupt it (\(kills.map(\.stage)))")

        let actual = try DatabaseSnapshot.lines(of: scenario.workspace, serverURL: scenario.server.baseURL)
        #expect(actual == expected, "\(DatabaseSnapshot.difference(expected, actual))")

        // A trainer run cut off by a kill is recorded as failed, never left "running".
        let runs = try await store.read { try $0.trainerRuns() }
        #expect(runs.allSatisfy { $0.status != .running } && runs.filter { $0.status == .succeeded }.count == rounds)

        // No request twice, except one cut off by a kill.
        let exchanges = scenario.server.exchanges.filter { $0.request.path == "/v1/chat/completions" }
        var copies: [String: [Exchange]] = [:]
        for exchange in exchanges { copies[exchange.request.bodyText, default: []].append(exchange) }
        var repeated = 0
        for (body, list) in copies where list.count > 1 {
            repeated += 1
            for earlier in list.dropLast() {
                // A killed process may still send a request while the signal is on its way:
                // it belongs to that run until its end was seen.
                let cutOff = kills.contains { incarnation in
                    earlier.received >= incarnation.start && earlier.received <= incarnation.end
                        && (earlier.answered.map { $0 > incarnation.kill.addingTimeInterval(-Self.settleGrace) } ?? true)
                }
                let t0 = reference.server.exchanges.first?.received ?? started
                func at(_ date: Date?) -> String { date.map { String(format: "%.3f", $0.timeIntervalSince(t0)) } ?? "never" }
                #expect(cutOff, """
                    asked again although its reply was settled before any kill: received \(at(earlier.received)), \
                    answered \(at(earlier.answered)), copies at \(list.map { at($0.received) }); \
                    runs (start, kill, end): \(kills.map { "(\(at($0.start)), \(at($0.kill)), \(at($0.end)))" }): \(body.suffix(300))
                    """)
            }
        }
        // The uninterrupted run asked nothing twice at all.
        let plainBodies = reference.server.requests.filter { $0.path == "/v1/chat/completions" }.map(\.bodyText)
        #expect(Set(plainBodies).count == plainBodies.count)
        print("crash safety: \(kills.count) kills (at \(kills.map(\.stage).joined(separator: ", "))), \(exchanges.count) requests, \(repeated) asked again after a kill; "
              + "uninterrupted run \(String(format: "%.1f", duration)) s")
    }
}

/// A small seeded generator (SplitMix64) for reproducible kill moments.
struct SplitMix64 {
    private var state: UInt64
    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9e37_79b9_7f4a_7c15
        var z = state
        z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
        z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
        return z ^ (z >> 31)
    }

    /// Uniform in [0, 1).
    mutating func nextUnit() -> Double { Double(next() >> 11) / Double(1 << 53) }
}

/// The crash drill with the native student. It burns both cores for a minute or two, so
/// `make test` runs the `EngineRun` suites in a `swift test` process of their own, apart
/// from the timing-sensitive ones.
@Suite("native engine crash safety", .serialized)
struct EngineRunNativeCrashSafetyTests {
    /// With the native student: kills in its stages (answer, judge's likelihoods, evaluate)
    /// and in some HTTP ones.
    @Test(.enabled(if: EngineScenario.modelAvailable, "needs ~/.cache/tapir/SmolLM2-135M-Instruct.Q4_1.gguf (make setup)"))
    func nativeStudentKilledAndRestartedEndsWithTheUninterruptedContent() async throws {
        try await EngineRunCrashSafetyTests.killAndCompare(nativeStudent: true, rounds: 1, seed: 0x7a9_1c2a5, targets: [
            (1, .answer, 4), (1, .judge, 4), (1, .classify, 0.03), (1, .expand, 0.03), (1, .refine, 0.05), (1, .evaluate, 1.5),
        ])
    }
}
