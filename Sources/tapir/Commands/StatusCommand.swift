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
                print(try StatusJSON(summary: summary, pausedValue: try store.control(.paused)).rendered())
            } else {
                let errors = try store.read { try $0.latestEvents(limit: StatusText.errorLimit, minLevel: .error) }
                print(StatusText.render(summary, workspace: ws.root.path, recentErrors: errors))
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
    /// How many of the latest error events the text shows.
    static let errorLimit = 5

    /// - Parameter recentErrors: the latest error events (a failed stage, an instruction whose
    ///   model call failed), newest first.
    static func render(_ s: StatusSummary, workspace: String, recentErrors: [EventRecord] = []) -> String {
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
        lines += RoleHealthText.lines(s.roleHealth)
        if !recentErrors.isEmpty {
            lines.append("Recent errors (latest \(recentErrors.count); all in the Logs screen):")
            for event in recentErrors {
                let place = [event.round.map { "round \($0)" }, event.stage?.rawValue].compactMap { $0 }.joined(separator: " ")
                let message = TerminalSanitizer.sanitize(event.message).replacingOccurrences(of: "\n", with: " ⏎ ")
                lines.append("  [\(place.isEmpty ? event.source : place)] " + String(message.prefix(300)))
            }
        }
        return lines.joined(separator: "\n")
    }
}

/// The stored health of endpoint roles, as `tapir status` and `tapir doctor` print it:
/// failing and paused roles with their reason; nothing when every role is ok.
enum RoleHealthText {
    static func lines(_ records: [RoleHealthRecord], now: Date = Date()) -> [String] {
        let troubled = records.filter { $0.state != .ok }
        guard !troubled.isEmpty else { return [] }
        var lines = ["Roles needing attention:"]
        for record in troubled {
            let since = record.lastFailureAt.map { " (last failure \(age(now.timeIntervalSince($0))) ago)" } ?? ""
            lines.append("  \(record.role.rawValue)  \(record.state.rawValue.uppercased())  "
                         + "\(record.consecutiveFailures) consecutive failure(s)\(since)")
            if let reason = record.reason { lines.append("    " + TerminalSanitizer.sanitize(reason, options: .singleLine)) }
        }
        if troubled.contains(where: \.isPaused) {
            lines.append("  paused roles refuse calls until `tapir resume` (fix the endpoint or its settings first)")
        }
        return lines
    }

    static func age(_ seconds: TimeInterval) -> String {
        switch seconds {
        case ..<90: return "\(max(0, Int(seconds))) s"
        case ..<5400: return "\(Int(seconds / 60)) min"
        case ..<172_800: return "\(Int(seconds / 3600)) h"
        default: return "\(Int(seconds / 86400)) d"
        }
    }
}
