import Foundation
import GRDB

/// A row of `trainer_runs`: one execution of the configured trainer command.
public struct TrainerRunRecord: Codable, Sendable, Hashable, Identifiable, FetchableRecord, MutablePersistableRecord {
    public static let databaseTableName = "trainer_runs"

    public var id: Int64?
    public var round: Int
    /// The command after placeholder expansion.
    public var command: String
    public var status: TrainerRunStatus
    public var exitCode: Int?
    public var startedAt: Date
    public var finishedAt: Date?
    /// The full log file under the workspace's `logs/`.
    public var logPath: String?
    /// The checkpoint the run produced.
    public var output: String?
    /// The trainer's process (the `/bin/sh` leading its group), recorded once it started.
    public var pid: Int32?
    /// The trainer's process group (every process it started, e.g. torchrun workers).
    public var pgid: Int32?
    /// The leader's start time in clock ticks since boot (Linux `/proc/<pid>/stat` field 22):
    /// a live process with the same pid but another start time is not the trainer.
    public var processStartTicks: Int64?

    public init(
        id: Int64? = nil, round: Int, command: String, status: TrainerRunStatus = .running, exitCode: Int? = nil,
        startedAt: Date = Date(), finishedAt: Date? = nil, logPath: String? = nil, output: String? = nil
    ) {
        self.id = id
        self.round = round
        self.command = command
        self.status = status
        self.exitCode = exitCode
        self.startedAt = startedAt
        self.finishedAt = finishedAt
        self.logPath = logPath
        self.output = output
    }

    enum CodingKeys: String, CodingKey {
        case id, round, command, status, output
        case exitCode = "exit_code", startedAt = "started_at", finishedAt = "finished_at", logPath = "log_path"
        case pid, pgid, processStartTicks = "process_start_ticks"
    }

    public mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}

/// A row of `trainer_loss`: one parsed loss value of a trainer run.
public struct TrainerLossRecord: Codable, Sendable, Hashable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "trainer_loss"

    public var runID: Int64
    public var step: Int
    public var loss: Double

    public init(runID: Int64, step: Int, loss: Double) {
        self.runID = runID
        self.step = step
        self.loss = loss
    }

    enum CodingKeys: String, CodingKey {
        case step, loss
        case runID = "run_id"
    }
}
