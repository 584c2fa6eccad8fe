import TapirCore

/// Refuses new calls once the run's or the current round's spending reaches its cap.
///
/// Calls already in flight when the cap is reached still complete and are counted, so the
/// spend can exceed a cap by at most the cost of the concurrent calls.
public actor BudgetGuard {
    public let runCapUSD: Double?
    public let roundCapUSD: Double?
    public private(set) var runSpentUSD: Double
    private var roundSpent: [Int: Double]

    /// - Parameters:
    ///   - runSpentUSD, roundSpentUSD: what the ledger already holds (so a resumed run keeps its caps).
    public init(runCapUSD: Double?, roundCapUSD: Double?, runSpentUSD: Double = 0, roundSpentUSD: [Int: Double] = [:]) {
        self.runCapUSD = runCapUSD
        self.roundCapUSD = roundCapUSD
        self.runSpentUSD = runSpentUSD
        self.roundSpent = roundSpentUSD
    }

    /// Throws `LLMError.budgetExceeded` when a cap that applies to `round` is reached.
    public func check(round: Int?) throws {
        if let cap = runCapUSD, runSpentUSD >= cap {
            throw LLMError.budgetExceeded(scope: .run, capUSD: cap, spentUSD: runSpentUSD)
        }
        if let cap = roundCapUSD, let round, let spent = roundSpent[round], spent >= cap {
            throw LLMError.budgetExceeded(scope: .round, capUSD: cap, spentUSD: spent)
        }
    }

    /// Adds the cost of a finished call.
    public func add(costUSD: Double, round: Int?) {
        runSpentUSD += costUSD
        if let round { roundSpent[round, default: 0] += costUSD }
    }

    /// Spending recorded for `round`.
    public func spent(round: Int) -> Double { roundSpent[round] ?? 0 }
}
