import Foundation
import GRDB
import TapirCore

/// Counts for `tapir status` and dashboard headers.
public struct StatusSummary: Codable, Sendable, Hashable {
    /// One round's headline figures.
    public struct RoundLine: Codable, Sendable, Hashable {
        public var number: Int
        public var alpha: Double
        public var delta: Double
        public var stage: String?
        public var stageState: String
        public var hard: Int
        public var selected: Int
        public var composed: Int
        public var expansions: Int
        public var winRate: Double?
        public var cost: Double
    }

    /// Ledger totals over all calls.
    public struct LedgerTotals: Codable, Sendable, Hashable {
        public var calls: Int
        public var errors: Int
        public var promptTokens: Int
        public var completionTokens: Int
        public var cost: Double
    }

    public var instructions: Int
    public var bySource: [String: Int]
    public var bySplit: [String: Int]
    public var byState: [String: Int]
    /// Active instructions per category; `(none)` for uncategorised.
    public var byCategory: [String: Int]
    /// Instructions per round they were created in (`0`: imported).
    public var byCreatedRound: [String: Int]
    public var responsesByRole: [String: Int]
    public var expansionsByState: [String: Int]
    public var rounds: [RoundLine]
    public var ledger: [LedgerRow]
    public var ledgerTotals: LedgerTotals
    /// Health of every endpoint role that has made calls, paused roles first.
    public var roleHealth: [RoleHealthRecord]

    /// Label used for instructions without a category.
    public static let uncategorized = "(none)"
}

extension StoreReader {
    private func grouped(_ sql: String) throws -> [String: Int] {
        var result: [String: Int] = [:]
        for row in try Row.fetchAll(db, sql: sql) {
            let value: DatabaseValue = row[0]
            let key: String = switch value.storage {
            case .null: StatusSummary.uncategorized
            case let .int64(int): String(int)
            case let .double(double): String(double)
            case let .string(string): string
            case .blob: "(blob)"
            }
            result[key, default: 0] += row[1] as Int
        }
        return result
    }

    /// Counts by source, split, state, category and round, plus ledger totals.
    public func statusSummary() throws -> StatusSummary {
        let bySource = try grouped("SELECT source, COUNT(*) FROM instructions GROUP BY source")
        let total = bySource.values.reduce(0, +)
        let ledger = try self.ledger()
        let totals = StatusSummary.LedgerTotals(
            calls: ledger.reduce(0) { $0 + $1.calls }, errors: ledger.reduce(0) { $0 + $1.errors },
            promptTokens: ledger.reduce(0) { $0 + $1.promptTokens },
            completionTokens: ledger.reduce(0) { $0 + $1.completionTokens }, cost: ledger.reduce(0) { $0 + $1.cost })
        var costByRound: [Int: Double] = [:]
        for row in ledger { if let r = row.round { costByRound[r, default: 0] += row.cost } }
        let selection = try Row.fetchAll(db, sql: "SELECT round, SUM(hard) AS hard, COUNT(*) AS n FROM selection GROUP BY round")
        let composed = try Row.fetchAll(db, sql: "SELECT round, COUNT(*) AS n FROM compositions GROUP BY round")
        let expansions = try Row.fetchAll(db, sql: "SELECT round, COUNT(*) AS n FROM expansions GROUP BY round")
        func lookup(_ rows: [Row], _ round: Int, _ column: String) -> Int {
            rows.first { ($0["round"] as Int) == round }?[column] ?? 0
        }
        let rounds = try self.rounds().map { r in
            StatusSummary.RoundLine(
                number: r.number, alpha: r.alpha, delta: r.delta, stage: r.stage?.rawValue, stageState: r.stageState.rawValue,
                hard: lookup(selection, r.number, "hard"), selected: lookup(selection, r.number, "n"),
                composed: lookup(composed, r.number, "n"), expansions: lookup(expansions, r.number, "n"),
                winRate: r.winRate, cost: costByRound[r.number] ?? 0)
        }
        return StatusSummary(
            instructions: total, bySource: bySource,
            bySplit: try grouped("SELECT split, COUNT(*) FROM instructions GROUP BY split"),
            byState: try grouped("SELECT state, COUNT(*) FROM instructions GROUP BY state"),
            byCategory: try grouped("SELECT category, COUNT(*) FROM instructions WHERE state = 'active' GROUP BY category"),
            byCreatedRound: try grouped("SELECT created_round, COUNT(*) FROM instructions GROUP BY created_round"),
            responsesByRole: try grouped("SELECT role, COUNT(*) FROM responses GROUP BY role"),
            expansionsByState: try grouped("SELECT state, COUNT(*) FROM expansions GROUP BY state"),
            rounds: rounds, ledger: ledger, ledgerTotals: totals, roleHealth: try roleHealth())
    }
}
