import Foundation
import Testing
import TapirCore
import TapirStore
@testable import TapirEngine

/// A stage that does real (small) work: it logs one event per run and stores a student
/// response for every train instruction of the round that lacks one.
struct MarkingStage: StageRunner {
    let stage: Stage
    var failWhenControlled: Bool = false

    func run(round: Int, context: EngineContext) async throws -> StageOutcome {
        if failWhenControlled, try context.store.control(.stopAfterStage) == "fail-\(stage.rawValue)" {
            throw StageTestError.requested
        }
        try await context.store.write { writer in
            _ = try writer.log(.info, source: "test", "ran \(stage.rawValue) round \(round)", round: round, stage: stage)
            if stage == .answer {
                for id in try writer.reader.instructionIDsWithoutResponse(role: .student, round: round) {
                    _ = try writer.saveResponse(ResponseRecord(instructionID: id, role: .student, round: round,
                                                               model: "marker", text: "answer \(round)"))
                }
            }
        }
        return .completed(summary: "marked")
    }
}

enum StageTestError: Error { case requested }

@Suite struct RoundRunnerTests {
    private func runs(_ fixture: EngineFixture, _ stage: Stage, _ round: Int) throws -> Int {
        try fixture.events(containing: "ran \(stage.rawValue) round \(round)").count
    }

    @Test func resumesAfterStopAndPauseWithoutRepeatingFinishedStages() async throws {
        let fixture = try EngineFixture()
        fixture.config.curriculum.rounds = 2
        fixture.config.curriculum.alpha = [0.3, 0.6]
        fixture.config.curriculum.delta = 1.5
        try fixture.instruction("Train me", category: "Math")
        let stages: [any StageRunner] = [MarkingStage(stage: .judge), MarkingStage(stage: .answer), MarkingStage(stage: .teach)]
        let runner = RoundRunner(context: fixture.context(), stages: stages)
        #expect(runner.stages.map(\.stage) == [.answer, .teach, .judge])

        try fixture.store.setControl(.stopAfterStage, "teach")
        #expect(await runner.run() == .paused(reason: "stopped after teach (round 1)"))
        #expect(try fixture.store.control(.stopAfterStage) == nil)
        #expect(try runs(fixture, .answer, 1) == 1 && runs(fixture, .teach, 1) == 1 && runs(fixture, .judge, 1) == 0)
        let first = try #require(try fixture.read { try $0.round(1) })
        #expect(first.stage == .teach && first.stageState == .done && first.alpha == 0.3 && first.delta == 1.5)

        try fixture.store.setControl(.paused, "1")
        #expect(await runner.run() == .paused(reason: "paused by request"))
        #expect(try runs(fixture, .judge, 1) == 0)

        try fixture.store.setControl(.paused, nil)
        try fixture.store.setControl(.deltaNext, "0.8")
        #expect(await runner.run() == .done)
        for stage in [Stage.answer, .teach, .judge] {
            #expect(try runs(fixture, stage, 1) == 1)
            #expect(try runs(fixture, stage, 2) == 1)
        }
        let rounds = try fixture.read { try $0.rounds() }
        #expect(rounds.map(\.number) == [1, 2])
        #expect(rounds.allSatisfy { $0.finishedAt != nil })
        #expect(rounds[1].alpha == 0.6 && rounds[1].delta == 0.8)
        #expect(try fixture.read { try $0.responses(role: .student, round: 2) }.count == 1)
        #expect(try fixture.events(containing: "round 2: judge finished").count == 1)

        // Everything done: a further run does nothing.
        #expect(await runner.run() == .done)
        #expect(try runs(fixture, .answer, 1) == 1)
    }

    @Test func aFailingStageIsRecordedAndRetriedOnTheNextRun() async throws {
        let fixture = try EngineFixture()
        fixture.config.curriculum.rounds = 1
        let runner = RoundRunner(context: fixture.context(),
                                 stages: [MarkingStage(stage: .answer), MarkingStage(stage: .judge, failWhenControlled: true)])
        try fixture.store.setControl(.stopAfterStage, "fail-judge")
        guard case let .failed(error) = await runner.run() else { Issue.record("expected failure"); return }
        #expect(error.contains("judge"))
        #expect(try fixture.read { try $0.round(1)?.stageState } == .failed)
        try fixture.store.setControl(.stopAfterStage, nil)
        #expect(await runner.run() == .done)
        #expect(try runs(fixture, .answer, 1) == 1 && runs(fixture, .judge, 1) == 1)
    }

    @Test func aWaitingStageStopsTheRunUntilItCanFinish() async throws {
        let fixture = try EngineFixture()
        fixture.config.curriculum.rounds = 1
        fixture.config.curriculum.approval = .manual
        fixture.config.curriculum.expansionsPerRound = 1
        let parent = try fixture.instruction("Seed task", category: "Math")
        try fixture.round(1)
        let item = try fixture.write { try #require(try $0.addExpansion(text: "Child task", parentID: parent, round: 1, category: "Math")) }
        let runner = RoundRunner(context: fixture.context(), stages: [ExpandStage(), MarkingStage(stage: .compose)])
        guard case let .waiting(reason) = await runner.run() else { Issue.record("expected waiting"); return }
        #expect(reason.contains("pending approval"))
        #expect(try runs(fixture, .compose, 1) == 0)
        try fixture.write { _ = try $0.review(instructionID: try #require(item.instruction.id), decision: .approve) }
        #expect(await runner.run() == .done)
        #expect(try runs(fixture, .compose, 1) == 1)
    }
}
