/// Which budget cap a `BudgetGuard` enforces.
public enum BudgetScope: String, Sendable, Codable, Equatable {
    case run, round
}
