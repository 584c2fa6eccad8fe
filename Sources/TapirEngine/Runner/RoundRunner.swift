import Foundation
import TapirCore
import TapirLLM
import TapirStore

/// Runs curriculum rounds stage by stage over the store, resumably.
///
/// Progress lives in each round's record: `stage` + `stage_state`. Stages run in the order
/// given; a round whose record names stage S in state `done` has S and every stage before
/// it done, so a restarted run skips them and continues with the next one. A stage that
/// ends `.waiting` stops the run (`RunOutcome.waiting`) with the stage left `pending`: the
/// demo "runs until it waits for approvals", and the next run re-enters that stage, which
/// carries on idempotently. `.skipped` counts as done.
///
/// Control keys are read before every stage: `paused` (any value but empty/"0"/"false")
/// stops before the next stage; a value other than a plain flag is the pause's reason (the
/// runner itself pauses that way when a budget cap is reached: the stage is left `pending`,
/// the reason is logged as a warning and stored in `paused`, so `tapir status` shows it and
/// the next run stays paused until `tapir resume` — after raising the cap — clears it); `stop_after_stage` (a stage name) stops after that stage
/// finishes and is cleared. New rounds are created with α_r from the schedule and δ from
/// the `delta_next` control key when set, else `curriculum.delta`.
///
/// The runner does not take the engine lock; the `run` command does.
public struct RoundRunner: Sendable {
    public var context: EngineContext
    public var stages: [any StageRunner]

    public init(context: EngineContext, stages: [any StageRunner]) {
        self.context = context
        self.stages = stages.sorted { $0.stage < $1.stage }
    }

    /// Runs rounds 1…`rounds` (default `curriculum.rounds`), stopping after `until` in the
    /// last round when given. First ends any trainer a killed engine left running
    /// (`OrphanedTrainerReaper`).
    public func run(rounds: Int? = nil, until: Stage? = nil) async -> RunOutcome {
        let outcome = await runRounds(rounds: rounds, until: until)
        // Ledger rows of calls whose replies nothing stored are committed before the run ends.
        let store = context.store
        do {
            try await Task.detached { try await store.flushLedger() }.value
        } catch {
            return .failed(error: String(describing: error))
        }
        return outcome
    }

    private func runRounds(rounds: Int?, until: Stage?) async -> RunOutcome {
        let count = rounds ?? context.config.curriculum.rounds
        do {
            // A trainer a killed engine left running is ended before anything else runs.
            try await OrphanedTrainerReaper.reap(store: context.store)
            for round in 1...max(1, count) {
                let outcome = try await runRound(round, until: round == count ? until : nil)
                if let outcome { return outcome }
            }
            return .done
        } catch is CancellationError {
            try? context.store.log(.warning, source: "engine", "run cancelled; finished work is kept")
            return .paused(reason: "cancelled")
        } catch {
            return .failed(error: String(describing: error))
        }
    }

    /// Runs the stages of one round that are not done; `nil` when the round finished.
    func runRound(_ round: Int, until: Stage?) async throws -> RunOutcome? {
        let record = try await ensureRound(round)
        if record.finishedAt != nil { return nil }
        let store = context.store
        for runner in stages {
            let stage = runner.stage
            if let until, stage > until { return .done }
            let current = try await store.read { try $0.round(round) }
            if let done = current, let at = done.stage,
               stage < at || (stage == at && done.stageState == .done) {
                continue
            }
            if let reason = try await pauseReason() { return .paused(reason: reason) }
            try await store.write { writer in
                try writer.setRoundStage(round: round, stage: stage, state: .running)
                _ = try writer.log(.info, source: "engine", "round \(round): \(stage.rawValue) started", round: round, stage: stage)
            }
            let outcome: StageOutcome
            do {
                outcome = try await runner.run(round: round, context: context)
            } catch is CancellationError {
                await markInterrupted(round: round, stage: stage)
                throw CancellationError()
            } catch where Task.isCancelled {
                // A stage may surface cancellation as its own error (a cancelled request).
                await markInterrupted(round: round, stage: stage)
                throw CancellationError()
            } catch let error as LLMError {
                guard case let .budgetExceeded(scope, cap, spent) = error else {
                    return try await failed(round: round, stage: stage, error: error)
                }
                let reason = BudgetPause.reason(scope: scope, capUSD: cap, spentUSD: spent, round: round)
                try await store.write { writer in
                    try writer.setRoundStage(round: round, stage: stage, state: .pending)
                    try writer.setControl(.paused, reason)
                    _ = try writer.log(.warning, source: "engine", "round \(round): \(stage.rawValue) paused: \(reason)",
                                       round: round, stage: stage)
                }
                return .paused(reason: reason)
            } catch {
                return try await failed(round: round, stage: stage, error: error)
            }
            switch outcome {
            case let .waiting(reason):
                try await store.write { writer in
                    try writer.setRoundStage(round: round, stage: stage, state: .pending)
                    _ = try writer.log(.info, source: "engine", "round \(round): \(stage.rawValue) waiting: \(reason)",
                                       round: round, stage: stage)
                }
                return .waiting(reason: "round \(round), \(stage.rawValue): \(reason)")
            case let .completed(summary), let .skipped(reason: summary):
                let verb = if case .skipped = outcome { "skipped" } else { "finished" }
                try await store.write { writer in
                    try writer.setRoundStage(round: round, stage: stage, state: .done)
                    _ = try writer.log(.info, source: "engine", "round \(round): \(stage.rawValue) \(verb): \(summary)",
                                       round: round, stage: stage)
                }
            }
            if let stop = try await store.read({ try $0.control(.stopAfterStage) }), stop == stage.rawValue {
                try await store.write { try $0.setControl(.stopAfterStage, nil) }
                return .paused(reason: "stopped after \(stage.rawValue) (round \(round))")
            }
        }
        try await store.write { writer in
            if try writer.reader.round(round)?.finishedAt == nil {
                try writer.finishRound(round: round, winRate: nil)
            }
            _ = try writer.log(.info, source: "engine", "round \(round) finished", round: round)
        }
        return nil
    }

    /// Leaves a stage whose run was cancelled `pending` (the next run redoes what it did not
    /// store). The store refuses writes from a cancelled task, so the write runs in a task of
    /// its own, which does not inherit the cancellation, and is awaited.
    private func markInterrupted(round: Int, stage: Stage) async {
        let store = context.store
        do {
            try await Task {
                try await store.write { writer in
                    try writer.setRoundStage(round: round, stage: stage, state: .pending)
                    _ = try writer.log(.warning, source: "engine", "round \(round): \(stage.rawValue) interrupted; left pending",
                                       round: round, stage: stage)
                }
            }.value
        } catch {
            // The next run redoes a `running` stage as well; only the display is stale.
            try? store.log(.error, source: "engine", "round \(round): could not mark \(stage.rawValue) pending: \(error)")
        }
    }

    /// Records a stage failure and the run outcome that reports it.
    private func failed(round: Int, stage: Stage, error: any Error) async throws -> RunOutcome {
        let message = String(describing: error)
        try? await context.store.write { writer in
            try writer.setRoundStage(round: round, stage: stage, state: .failed)
            _ = try writer.log(.error, source: "engine", "round \(round): \(stage.rawValue) failed: \(message)",
                               round: round, stage: stage)
        }
        return .failed(error: "round \(round), stage \(stage.rawValue): \(message)")
    }

    private func ensureRound(_ round: Int) async throws -> RoundRecord {
        let curriculum = context.config.curriculum
        return try await context.store.write { writer in
            if let existing = try writer.reader.round(round) { return existing }
            let override = try writer.reader.control(.deltaNext).flatMap { Double($0.trimmingCharacters(in: .whitespaces)) }
            let record = RoundRecord(number: round, alpha: curriculum.alpha(forRound: round), delta: override ?? curriculum.delta)
            try writer.saveRound(record)
            return record
        }
    }

    private func pauseReason() async throws -> String? {
        guard let value = try await context.store.read({ try $0.control(.paused) }) else { return nil }
        return BudgetPause.describe(pausedValue: value)
    }
}
