import Foundation

/// A `tapir` child process the test can kill: output goes to files (nothing to drain), and
/// waiting for its end happens on a thread of its own, never on the cooperative pool.
final class TapirChild: @unchecked Sendable {
    let process = Process()
    let started = Date()

    /// Starts `tapir arguments…`, appending its stdout and stderr to `log`.
    init(_ arguments: [String], log: URL) throws {
        if !FileManager.default.fileExists(atPath: log.path) {
            FileManager.default.createFile(atPath: log.path, contents: nil)
        }
        let handle = try FileHandle(forWritingTo: log)
        handle.seekToEndOfFile()
        process.executableURL = TapirProcess.binary
        process.arguments = arguments
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
        try handle.close()
    }

    var isRunning: Bool { process.isRunning }

    /// Sends SIGKILL (no chance to clean up) and returns when it was sent.
    func kill() -> Date {
        let now = Date()
        Foundation.kill(process.processIdentifier, SIGKILL)
        return now
    }

    /// The exit status (or the signal number for a killed process) once it has ended.
    func wait() async -> (status: Int32, killed: Bool) {
        await withCheckedContinuation { continuation in
            Thread.detachNewThread { [process] in
                process.waitUntilExit()
                continuation.resume(returning: (process.terminationStatus, process.terminationReason == .uncaughtSignal))
            }
        }
    }

    /// Waits up to `seconds` for the end; true when it ended.
    func wait(upTo seconds: Double) async -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while process.isRunning, Date() < deadline {
            try? await Task.sleep(nanoseconds: 2_000_000)
        }
        return !process.isRunning
    }
}
