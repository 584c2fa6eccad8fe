import ArgumentParser
import Foundation
import TapirCore
import TapirEngine
import TapirStore

/// `tapir status`: what the workspace holds.
struct StatusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Counts by source, split, state, category and round, and the LLM cost ledger.")

    @OptionGroup var workspace: WorkspaceOptions

    @Flag(help: "Print JSON instead of text.")
    var json = false

    func run() throws {
        try reportingFailures {
            let ws = try workspace.workspace()
            let store = try ws.openStore()
            let summary = try store.statusSummary()
            if json {
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
                print(String(decoding: try encoder.encode(summary), as: UTF8.self))
            } else {
                print(StatusText.render(summary, workspace: ws.root.path))
                // Why the engine stopped, when it was paused (by request or by a budget cap).
                if let value = try store.control(.paused), let reason = BudgetPause.describe(pausedValue: value) {
                    print("Engine: paused: \(TerminalSanitizer.sanitize(reason)) (`tapir resume` clears it)")
                }
            }
        }
    }
}

/// The text layout of `tapir status`.
enum StatusText {
    static func render(_ s: StatusSummary, workspace: String) -> String {
        var lines = ["Workspace \(workspace)", "Instructions: \(s.instructions)"]
        func group(_ title: String, _ counts: [String: Int], byCount: Bool = false) {
            guard !counts.isEmpty else { return }
            let keys = byCount ? counts.keys.sorted { (counts[$0]!, $1) > (counts[$1]!, $0) } : counts.keys.sorted()
            let width = keys.map(\.count).max() ?? 0
            lines.append("\(title):")
            for key in keys {
                lines.append("  " + key.padding(toLength: width, withPad: " ", startingAt: 0) + "  " + String(counts[key]!))
            }
        }
        group("By source", s.bySource)
        group("By split", s.bySplit)
        group("By state", s.byState)
        group("By category (active)", s.byCategory, byCount: true)
        group("By round created", s.byCreatedRound)
        group("Responses by role", s.responsesByRole)
        group("Expansions by state", s.expansionsByState)
        if s.rounds.isEmpty {
            lines.append("Rounds: none started")
        } else {
            lines.append("Rounds:")
            for r in s.rounds {
                let win = r.winRate.map { String(format: "%.1f%%", $0 * 100) } ?? "–"
                lines.append("  round \(r.number)  α \(r.alpha)  δ \(r.delta)  stage \(r.stage ?? "–") (\(r.stageState))  "
                             + "hard \(r.hard)/\(r.selected)  composed \(r.composed)  expansions \(r.expansions)  win \(win)  "
                             + String(format: "$%.4f", r.cost))
            }
        }
        let t = s.ledgerTotals
        lines.append("LLM calls: \(t.calls) (\(t.errors) failed), tokens \(t.promptTokens) in / \(t.completionTokens) out, "
                     + String(format: "cost $%.4f", t.cost))
        for row in s.ledger {
            lines.append("  \(row.role.rawValue)  \(row.stage?.rawValue ?? "–")  round \(row.round.map(String.init) ?? "–")  "
                         + "calls \(row.calls)  tokens \(row.promptTokens)/\(row.completionTokens)  " + String(format: "$%.4f", row.cost))
        }
        return lines.joined(separator: "\n")
    }
}
