import Foundation
import TapirCore
import TapirStore

extension BudgetGuard {
    /// A guard with the caps of the config's `budgets:` section, already charged with what
    /// the workspace's ledger holds (the run total and each round's total), so a resumed run
    /// keeps honouring its caps.
    public static func fromWorkspace(store: WorkspaceStore, config: TapirConfig) async throws -> BudgetGuard {
        let rows = try await store.read { try $0.ledger() }
        var perRound: [Int: Double] = [:]
        var total = 0.0
        for row in rows {
            total += row.cost
            if let round = row.round { perRound[round, default: 0] += row.cost }
        }
        return BudgetGuard(runCapUSD: config.budgets.runUSD, roundCapUSD: config.budgets.roundUSD,
                           runSpentUSD: total, roundSpentUSD: perRound)
    }
}
