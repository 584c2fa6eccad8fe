import Foundation
import Testing
import TapirCore
import TapirStore
import TapirTestSupport

/// Bad inputs through `tapir run` (a subprocess; the scripted server plays every role, the
/// student included, so this runs in seconds): a judge that answers garbage for one
/// instruction and a trainer that exits 1.
@Suite("engine bad inputs", .serialized)
struct EngineRunBadInputTests {
    @Test func garbageVerdictsAreRecordedAndAFailingTrainerFailsTheRunUntilFixed() async throws {
        let garbage = "\(ScriptedRoles.garbageJudgeMarker) Say something kind."
        let scenario = try EngineScenario(rounds: 1, trainerExit: 1, extraTrain: [(garbage, "Others")], nativeStudent: false)
        let failed = try await scenario.run()
        #expect(failed.status == 1, "\(failed.stdout.suffix(2000))\n\(failed.stderr)")
        // The stage failed with the trainer's last lines, and says so.
        #expect(failed.stderr.contains("train") && failed.stderr.contains("CUDA out of memory (scripted)"), "\(failed.stderr)")
        let store = try scenario.openStore()
        let round = try #require(try await store.read { try $0.round(1) })
        #expect(round.stage == .train && round.stageState == .failed && round.finishedAt == nil)
        let runs = try await store.read { try $0.trainerRuns(round: 1) }
        #expect(runs.count == 1 && runs.first?.status == .failed && runs.first?.exitCode == 1)
        #expect(try await store.read { try $0.loss(runID: runs[0].id!) }.map(\.loss) == [2.5, 1.75, 1.25])

        // `tapir status` shows the failure among its recent errors.
        let status = try await TapirProcess.run(["status", "--workspace", scenario.root.path])
        #expect(status.status == 0 && status.stdout.contains("Recent errors") && status.stdout.contains("[round 1 train]"),
                "\(status.stdout)")

        // The garbage verdicts: re-asked once per order, then recorded as this item's failure;
        // the stage finished and everything else was judged.
        let id = try #require(try await store.read { try $0.instructions(.activeTrain) }.first { $0.text == garbage }?.id)
        let judgements = try await store.read { try $0.judgements(round: 1) }
        #expect(judgements.count == EngineScenario.train.count + 1)
        let bad = try #require(judgements.first { $0.instructionID == id })
        #expect(bad.status == .failed && bad.mfd == nil && bad.error?.contains("re-ask") == true)
        #expect(judgements.filter { $0.status == .ok }.count == EngineScenario.train.count)
        let judgeAsks = scenario.server.requests.filter {
            $0.bodyText.contains("Say something kind.") && $0.bodyText.contains("ANSWER_1")
        }
        #expect(judgeAsks.count == 4) // 2 orders × (ask + one re-ask)
        // Without a judge difficulty it is in no selection, so it cannot poison the hard set.
        #expect(try await store.read { try $0.selection(round: 1) }.allSatisfy { $0.instructionID != id })

        // Fixed trainer: the rerun continues at train and finishes the round.
        let requestsBefore = scenario.server.requestCount
        try EngineScenario.trainerScript(exit: 0)
            .write(to: scenario.root.appendingPathComponent("fake-trainer.sh"), atomically: true, encoding: .utf8)
        let fixed = try await scenario.run()
        #expect(fixed.status == 0, "\(fixed.stderr)")
        let done = try #require(try await store.read { try $0.round(1) })
        #expect(done.finishedAt != nil && done.stage == .evaluate && done.stageState == .done)
        #expect(try await store.read { try $0.trainerRuns(round: 1) }.map(\.status) == [.failed, .succeeded])
        // Only evaluate's calls are new (the student's eval answers and their judgements):
        // nothing before train was asked again.
        let newBodies = scenario.server.requests.dropFirst(requestsBefore).map(\.bodyText)
        #expect(newBodies.count == EngineScenario.eval.count * 3)
        #expect(newBodies.allSatisfy { $0.contains("ANSWER_1") || $0.contains(#""model":"student""#) },
                "\(newBodies.map { $0.prefix(200) })")
        #expect(try await store.read { try $0.evaluations(round: 1) }.count == EngineScenario.eval.count)
    }
}
