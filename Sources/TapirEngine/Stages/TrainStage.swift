import Foundation
import TapirCore
import TapirStore

/// The *train* stage: runs `trainer.command` (through `TrainerRunner`) on the round's export
/// in `exports/round-N/`. Without a trainer it is skipped ("no trainer") and the loop goes on.
///
/// The student to train from is the previous round's trained student when there is one,
/// else the configured student model. A trained student is recorded in the round's
/// `trainer_runs` row (its output) and, when `student_after` names a GGUF file, as the round
/// metric `student_trained = 1`; the next round reads it with `TrainStage.trainedStudent`.
public struct TrainStage: StageRunner {
    public let stage = Stage.train

    public init() {}

    public func run(round: Int, context: EngineContext) async throws -> StageOutcome {
        let runs = try await context.store.read { try $0.trainerRuns(round: round) }
        if let finished = runs.first(where: { $0.status == .succeeded }) {
            return .completed(summary: "already trained (run \(finished.id.map(String.init) ?? "?"))")
        }
        // A run still marked running belongs to an engine that stopped while it ran (only
        // one engine runs on a workspace): record it as failed before training again.
        let interrupted = runs.filter { $0.status == .running }
        if !interrupted.isEmpty {
            try await context.store.write { writer in
                for run in interrupted {
                    guard let id = run.id else { continue }
                    try writer.finishTrainerRun(id: id, status: .failed, exitCode: nil, output: run.output)
                    _ = try writer.log(.warning, source: "trainer",
                                       "round \(round): trainer run \(id) was interrupted (the engine stopped while it ran); training again",
                                       round: round, stage: .train)
                }
            }
        }
        let dataDir = context.workspace.exportURL(round: round)
        let data = dataDir.appendingPathComponent(ExportFormat.alpaca.fileName)
        let base = try await Self.trainedStudent(before: round, context: context) ?? Self.baseModel(context.config)
        let runner = TrainerRunner(config: context.config.trainer, workspace: context.workspace, store: context.store)
        try await context.store.write { try $0.updateProgress(round: round, stage: .train, done: 0, total: 1) }
        let outcome = try await runner.run(TrainerJob(round: round, data: data, dataDir: dataDir, base: base))
        switch outcome {
        case let .skipped(reason):
            // The runner recorded a skipped trainer run and logged why.
            try await context.store.write { try $0.updateProgress(round: round, stage: .train, done: 0, total: 0) }
            return .skipped(reason: reason)
        case let .trained(summary):
            var metrics: [String: Double] = ["trainer_run_id": Double(summary.runID), "train_seconds": summary.seconds]
            if let loss = summary.finalLoss { metrics["final_loss"] = loss }
            if summary.student != nil { metrics["student_trained"] = 1 }
            let finalMetrics = metrics
            try await context.store.write { writer in
                try writer.updateRoundMetrics(round: round, finalMetrics)
                try writer.updateProgress(round: round, stage: .train, done: 1, total: 1)
            }
            return .completed(summary: outcome.message)
        }
    }

    /// The student a finished trainer run of a round before `round` produced (the latest
    /// one), as its `student_after` spec (a GGUF path or endpoint model); `nil` when none.
    public static func trainedStudent(before round: Int, context: EngineContext) async throws -> String? {
        let runs = try await context.store.read { try $0.trainerRuns() }
        let best = runs.filter { $0.round < round && $0.status == .succeeded }.max { $0.round < $1.round }
        return best?.output.flatMap { $0.isEmpty ? nil : $0 }
    }

    /// The configured student: its GGUF path for a native student, else its model name.
    static func baseModel(_ config: TapirConfig) -> String {
        let student = config.roles.student
        return student.modelPath ?? student.model ?? "student"
    }
}
