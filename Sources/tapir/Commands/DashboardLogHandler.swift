import Foundation
import Logging
import TapirCore
import TapirDashboard

/// The swift-log backend while the dashboard runs: every entry goes to a log file and
/// into the in-memory ring the Logs screen shows — never to the terminal, which curses owns.
struct DashboardLogHandler: LogHandler {
    /// The file all handlers of the process append to (one descriptor, writes serialised).
    final class Sink: @unchecked Sendable {
        let ring: LogRing
        private let handle: FileHandle?
        private let lock = NSLock()
        private let formatter = ISO8601DateFormatter()

        init(path: String?, ring: LogRing) {
            self.ring = ring
            if let path {
                if !FileManager.default.fileExists(atPath: path) { FileManager.default.createFile(atPath: path, contents: nil) }
                handle = FileHandle(forWritingAtPath: path)
                _ = try? handle?.seekToEnd()
            } else {
                handle = nil
            }
        }

        func write(time: Date, level: Logger.Level, label: String, message: String) {
            let text = TerminalSanitizer.sanitize(message, options: .singleLine)
            ring.append(.init(time: time, level: DashboardLogHandler.level(level), source: label, message: text))
            guard let handle else { return }
            lock.lock()
            defer { lock.unlock() }
            handle.write(Data("\(formatter.string(from: time)) \(level.rawValue) \(label): \(text)\n".utf8))
        }
    }

    let label: String
    let sink: Sink
    var logLevel: Logger.Level
    var metadata: Logger.Metadata = [:]

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(level: Logger.Level, message: Logger.Message, metadata explicit: Logger.Metadata?, source: String,
             file: String, function: String, line: UInt) {
        var all = metadata
        if let explicit { all.merge(explicit) { $1 } }
        let extra = all.isEmpty ? "" : " " + all.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
        sink.write(time: Date(), level: level, label: label.hasPrefix("tapir.") ? String(label.dropFirst(6)) : label,
                   message: "\(message)\(extra)")
    }

    /// Routes every logger of the process to `path` and `ring` at `level` and above.
    /// swift-log allows one bootstrap per process: call this once, before any logger is made.
    static func bootstrap(path: String?, ring: LogRing, level: LoggingConfig.Level) {
        let sink = Sink(path: path, ring: ring)
        let minimum = Logger.Level(rawValue: level.rawValue) ?? .info
        LoggingSystem.bootstrap { label in DashboardLogHandler(label: label, sink: sink, logLevel: minimum) }
    }

    static func level(_ level: Logger.Level) -> LogsViewModel.Level {
        switch level {
        case .trace, .debug: .debug
        case .info, .notice: .info
        case .warning: .warning
        case .error, .critical: .error
        }
    }
}
