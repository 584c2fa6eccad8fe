import Foundation

/// What one round's train stage works on.
public struct TrainerJob: Sendable, Hashable {
    public var round: Int
    /// The composed training file (`{data}`); a folder is accepted as well.
    public var data: URL
    /// The export folder with `dataset_info.json` (`{data_dir}`); `nil`: the folder of `data`
    /// (or `data` itself when it is a folder).
    public var dataDir: URL?
    /// The current student (`{base}`): a GGUF path, a checkpoint folder or a model name.
    public var base: String
    /// Where the trainer writes the new checkpoint (`{output}`); `nil`:
    /// `<workspace>/checkpoints/round-N`. Created before the run.
    public var output: URL?

    public init(round: Int, data: URL, dataDir: URL? = nil, base: String, output: URL? = nil) {
        self.round = round
        self.data = data
        self.dataDir = dataDir
        self.base = base
        self.output = output
    }
}

/// How the train stage ended when it did not fail.
public enum TrainerOutcome: Sendable, Hashable {
    /// No `trainer.command`: the round goes on with the same student.
    case skipped(reason: String)
    case trained(TrainerRunSummary)

    /// "skipped: no trainer" or a one-line summary of the run.
    public var message: String {
        switch self {
        case let .skipped(reason): "skipped: \(reason)"
        case let .trained(summary):
            "trained in \(String(format: "%.1f", summary.seconds)) s, \(summary.lossPoints) loss points"
                + (summary.finalLoss.map { String(format: ", final loss %.4f", $0) } ?? "")
                + (summary.student.map { ", student: \($0.spec)" } ?? "")
        }
    }
}

/// A trainer run that exited with status 0.
public struct TrainerRunSummary: Sendable, Hashable {
    /// The `trainer_runs` row.
    public var runID: Int64
    /// The command as run (placeholders expanded).
    public var command: String
    public var logPath: String
    public var output: String
    public var lossPoints: Int
    public var finalLoss: Double?
    public var seconds: Double
    /// The next student, when `trainer.student_after` is set.
    public var student: TrainedStudent?
}
