import ArgumentParser
import Foundation
import TapirCore
import TapirStore

/// `--workspace DIR`, shared by every command that works on a workspace.
struct WorkspaceOptions: ParsableArguments {
    @Option(name: .customLong("workspace"), help: ArgumentHelp(
        "Workspace folder (default: the nearest folder from here upward holding tapir.yaml).", valueName: "DIR"))
    var path: String?

    /// The located workspace, or a clear failure.
    func workspace() throws -> Workspace {
        do {
            return try Workspace.locate(explicit: path)
        } catch {
            throw CommandFailure(error.description)
        }
    }
}

/// A failure already explained to the user: printed to stderr, exit status 1.
struct CommandFailure: Error, CustomStringConvertible {
    let description: String

    init(_ description: String) { self.description = description }
}

/// Writes `text` to standard error.
func printError(_ text: String) {
    FileHandle.standardError.write(Data((text + "\n").utf8))
}

/// Runs `body`, turning any error into a message on stderr and exit status 1.
func reportingFailures(_ body: () throws -> Void) throws {
    do {
        try body()
    } catch let exit as ExitCode {
        throw exit
    } catch {
        printError("tapir: \(error)")
        throw ExitCode.failure
    }
}
