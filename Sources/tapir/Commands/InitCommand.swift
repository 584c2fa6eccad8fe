import ArgumentParser
import Foundation
import TapirStore

/// `tapir init [DIR]`: create a workspace.
struct InitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Create a workspace: tapir.yaml (every option, commented), tapir.sqlite, exports/, logs/.")

    @Argument(help: "Folder to create or initialise (default: the current folder).")
    var directory: String = "."

    @Flag(help: "Overwrite an existing tapir.yaml with the defaults.")
    var force = false

    func run() throws {
        try reportingFailures {
            let url = URL(fileURLWithPath: (directory as NSString).expandingTildeInPath)
            let existed = FileManager.default.fileExists(atPath: url.appendingPathComponent(Workspace.configFileName).path)
            let workspace = try Workspace.create(at: url, overwriteConfig: force)
            print("Workspace ready in \(workspace.root.path)")
            if existed && !force {
                print("  tapir.yaml kept as it was (use --force to rewrite the defaults)")
            } else {
                print("  tapir.yaml    configuration with every option and its default")
            }
            print("  tapir.sqlite  workspace database")
            print("  exports/      training sets per round")
            print("  logs/         engine and trainer logs")
            print("Next: tapir import --workspace \(workspace.root.path) DATA.jsonl")
        }
    }
}
