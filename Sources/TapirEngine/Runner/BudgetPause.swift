import Foundation
import TapirLLM

/// The text of a budget pause and the reading of the `paused` control key.
public enum BudgetPause {
    /// The reason stored when a budget cap stops the engine; it says how to continue.
    public static func reason(scope: BudgetScope, capUSD: Double, spentUSD: Double, round: Int) -> String {
        let key = scope == .run ? "budgets.run_usd" : "budgets.round_usd"
        let what = scope == .run ? "run budget" : "round \(round) budget"
        return String(format: "budget: %@ of $%.4f reached ($%.4f spent); raise %@ in tapir.yaml, then `tapir resume` and run again",
                      what, capUSD, spentUSD, key)
    }

    /// The pause reason a `paused` control value stands for, or `nil` when it does not pause:
    /// a plain flag ("1", "true", "yes") is a pause by request, any other text is its own reason.
    public static func describe(pausedValue value: String) -> String? {
        switch value.trimmingCharacters(in: .whitespacesAndNewlines).lowercased() {
        case "", "0", "false", "no", "off": nil
        case "1", "true", "yes", "on": "paused by request"
        default: value.trimmingCharacters(in: .whitespacesAndNewlines)
        }
    }
}
