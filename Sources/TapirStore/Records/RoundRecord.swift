import Foundation
import GRDB
import TapirCore

/// A row of `rounds`: one curriculum round, its schedule and where it stands.
public struct RoundRecord: Codable, Sendable, Hashable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "rounds"

    /// 1-based round number.
    public var number: Int
    public var alpha: Double
    public var delta: Double
    /// The current (or last) stage; `nil` before the first stage starts.
    public var stage: Stage?
    public var stageState: StageState
    public var startedAt: Date?
    public var finishedAt: Date?
    /// Named figures of the round (hard count, cost, loss, …), stored as JSON.
    public var metrics: [String: Double]
    public var winRate: Double?

    public init(
        number: Int, alpha: Double, delta: Double, stage: Stage? = nil, stageState: StageState = .pending,
        startedAt: Date? = nil, finishedAt: Date? = nil, metrics: [String: Double] = [:], winRate: Double? = nil
    ) {
        self.number = number
        self.alpha = alpha
        self.delta = delta
        self.stage = stage
        self.stageState = stageState
        self.startedAt = startedAt
        self.finishedAt = finishedAt
        self.metrics = metrics
        self.winRate = winRate
    }

    enum CodingKeys: String, CodingKey {
        case number, alpha, delta, stage, metrics
        case stageState = "stage_state", startedAt = "started_at", finishedAt = "finished_at", winRate = "win_rate"
    }
}

/// A row of `stage_progress`: items done of total for one stage of one round.
public struct StageProgressRecord: Codable, Sendable, Hashable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "stage_progress"

    public var round: Int
    public var stage: Stage
    public var done: Int
    public var total: Int
    public var startedAt: Date
    public var updatedAt: Date

    public init(round: Int, stage: Stage, done: Int, total: Int, startedAt: Date = Date(), updatedAt: Date = Date()) {
        self.round = round
        self.stage = stage
        self.done = done
        self.total = total
        self.startedAt = startedAt
        self.updatedAt = updatedAt
    }

    /// Fraction done in [0, 1].
    public var fraction: Double { total > 0 ? min(1, Double(done) / Double(total)) : 0 }

    /// Estimated seconds left at the average rate so far, or `nil` before any progress.
    public func estimatedSecondsLeft(now: Date = Date()) -> Double? {
        guard done > 0, total > done else { return done >= total && total > 0 ? 0 : nil }
        let elapsed = now.timeIntervalSince(startedAt)
        guard elapsed > 0 else { return nil }
        return elapsed / Double(done) * Double(total - done)
    }

    enum CodingKeys: String, CodingKey {
        case round, stage, done, total
        case startedAt = "started_at", updatedAt = "updated_at"
    }
}
