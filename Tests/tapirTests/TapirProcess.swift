import Foundation

/// Runs the built `tapir` executable as a child process.
///
/// Waiting happens on a thread of its own, never on Swift's cooperative pool: a blocked
/// pool thread would stall every other suite's async tests on a 2-core machine.
enum TapirProcess {
    struct Run {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// The `tapir` binary next to the test bundle.
    static var binary: URL {
        var dir = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        // The bundle may be a folder (…/tapirPackageTests.xctest/…) on some platforms.
        while !FileManager.default.fileExists(atPath: dir.appendingPathComponent("tapir").path), dir.path != "/" {
            dir.deleteLastPathComponent()
        }
        return dir.appendingPathComponent("tapir")
    }

    static func run(
        _ arguments: [String], in directory: URL? = nil, environment: [String: String] = [:]
    ) async throws -> Run {
        let process = Process()
        process.executableURL = binary
        process.arguments = arguments
        if let directory { process.currentDirectoryURL = directory }
        if !environment.isEmpty {
            process.environment = ProcessInfo.processInfo.environment.merging(environment) { _, new in new }
        }
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        return await withCheckedContinuation { continuation in
            Thread.detachNewThread {
                // Drain stderr concurrently so a chatty child cannot fill its pipe and stall.
                let errBox = DataBox()
                let errThread = Thread { errBox.data = err.fileHandleForReading.readDataToEndOfFile(); errBox.done.signal() }
                errThread.start()
                let stdoutData = out.fileHandleForReading.readDataToEndOfFile()
                errBox.done.wait()
                process.waitUntilExit()
                continuation.resume(returning: Run(
                    status: process.terminationStatus, stdout: String(decoding: stdoutData, as: UTF8.self),
                    stderr: String(decoding: errBox.data, as: UTF8.self)))
            }
        }
    }

    private final class DataBox: @unchecked Sendable {
        var data = Data()
        let done = DispatchSemaphore(value: 0)
    }
}
