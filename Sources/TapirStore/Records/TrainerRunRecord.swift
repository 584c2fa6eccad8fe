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
