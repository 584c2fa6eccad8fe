import Foundation
import TapirCore
import TapirStore

/// What the live progress view of `tapir run` shows at one moment, as read from the store:
/// the current round, its stages' progress rows and the cost ledger.
public struct RunProgressInput: Sendable, Hashable {
    /// Where a stage's rate is measured from in this process: its first observed count.
    public struct Baseline: Sendable, Hashable {
        public var done: Int
        public var at: Date

        public init(done: Int, at: Date) {
            self.done = done
            self.at = at
        }
    }

    /// The round being run (`nil` before the first round exists).
    public var round: RoundRecord?
    /// Rounds the run covers.
    public var plannedRounds: Int
    /// Progress rows of `round`.
    public var progress: [StageProgressRecord]
    /// The whole cost ledger (every round).
    public var ledger: [LedgerRow]
    /// First count seen per stage by this run, so a resumed stage's rate ignores the pause.
    public var baselines: [Stage: Baseline]
    /// When the run started (for the elapsed time).
    public var runStartedAt: Date
    public var now: Date

    public init(
        round: RoundRecord?, plannedRounds: Int, progress: [StageProgressRecord], ledger: [LedgerRow],
        baselines: [Stage: Baseline] = [:], runStartedAt: Date, now: Date
    ) {
        self.round = round
        self.plannedRounds = plannedRounds
        self.progress = progress
        self.ledger = ledger
        self.baselines = baselines
        self.runStartedAt = runStartedAt
        self.now = now
    }
}

/// Reads `RunProgressInput`s from the store and remembers each stage's first count.
public final class RunProgressSource: @unchecked Sendable {
    private let store: WorkspaceStore
    private let plannedRounds: Int
    private let startedAt: Date
    private let lock = NSLock()
    private var baselines: [Int: [Stage: RunProgressInput.Baseline]] = [:]

    public init(store: WorkspaceStore, plannedRounds: Int, startedAt: Date = Date()) {
        self.store = store
        self.plannedRounds = plannedRounds
        self.startedAt = startedAt
    }

    /// The current picture; the round is the last one started.
    public func read(now: Date = Date()) throws -> RunProgressInput {
        let (round, progress, ledger) = try store.read { reader -> (RoundRecord?, [StageProgressRecord], [LedgerRow]) in
            let round = try reader.rounds().last
            let progress = try round.map { try reader.stageProgress(round: $0.number) } ?? []
            return (round, progress, try reader.ledger())
        }
        lock.lock()
        defer { lock.unlock() }
        if let number = round?.number {
            for row in progress where baselines[number]?[row.stage] == nil {
                baselines[number, default: [:]][row.stage] = RunProgressInput.Baseline(done: row.done, at: now)
            }
        }
        return RunProgressInput(
            round: round, plannedRounds: plannedRounds, progress: progress, ledger: ledger,
            baselines: round.flatMap { baselines[$0.number] } ?? [:], runStartedAt: startedAt, now: now)
    }
}
