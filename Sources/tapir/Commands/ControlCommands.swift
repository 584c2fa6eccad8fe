import ArgumentParser
import Foundation
import TapirCore
import TapirStore

/// `tapir pause`: asks the running engine to stop before its next stage.
struct PauseCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pause", abstract: "Ask the engine to stop before its next stage.")

    @OptionGroup var workspace: WorkspaceOptions

    func run() throws {
        try reportingFailures {
            let store = try workspace.workspace().openStore()
            try store.setControl(.paused, "1")
            print("paused: the engine stops before its next stage; `tapir resume` clears it")
        }
    }
}

/// `tapir resume`: clears a pause (and any endpoint role the engine paused after repeated
/// failures) so the next `tapir run` (or the dashboard's engine) goes on.
struct ResumeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "resume", abstract: "Clear a pause and paused roles; the next run continues where it stopped.")

    @OptionGroup var workspace: WorkspaceOptions

    func run() throws {
        try reportingFailures {
            let store = try workspace.workspace().openStore()
            let roles = try store.write { writer in
                try writer.setControl(.paused, nil)
                return try writer.resumeRoles()
            }
            for role in roles {
                let reason = TerminalSanitizer.sanitize(role.reason ?? "repeated failures", options: .singleLine)
                print("role \(role.role.rawValue) resumed (was paused: \(reason))")
            }
            print("resumed")
        }
    }
}

/// The expansions a review command decides.
struct ReviewTargets: ParsableArguments {
    @OptionGroup var workspace: WorkspaceOptions

    @Argument(help: "Instruction ids of pending expansions (see the dashboard's Review screen).")
    var ids: [Int64]
}

/// `tapir approve ID…`: approves pending expansions in the review queue.
struct ApproveCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "approve", abstract: "Approve pending expansions by instruction id.")

    @OptionGroup var targets: ReviewTargets

    @Option(help: "A note kept with the decision.")
    var note: String?

    func run() throws {
        try reportingFailures { try ReviewDecisions.apply(.approve, note: note, to: targets) }
    }
}

/// `tapir reject ID… --reason R`: rejects pending expansions; they are never proposed again.
struct RejectCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reject", abstract: "Reject pending expansions by instruction id.")

    @OptionGroup var targets: ReviewTargets

    @Option(help: "Why; kept with the expansion.")
    var reason: String

    func run() throws {
        try reportingFailures { try ReviewDecisions.apply(.reject, note: reason, to: targets) }
    }
}

enum ReviewDecisions {
    /// Applies one decision to each id; reports every id that could not be decided and fails
    /// when any could not, after deciding the others.
    static func apply(_ decision: ExpansionDecision, note: String?, to targets: ReviewTargets) throws {
        let store = try targets.workspace.workspace().openStore()
        var failures = 0
        for id in targets.ids {
            do {
                let item = try store.write { try $0.review(instructionID: id, decision: decision, note: note) }
                print("\(id): \(item.expansion.state.rawValue)")
            } catch {
                printError("tapir: \(id): \(error)")
                failures += 1
            }
        }
        if failures > 0 { throw ExitCode.failure }
    }
}
