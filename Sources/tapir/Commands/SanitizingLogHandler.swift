import Logging
import TapirCore

/// The swift-log backend of `tapir run`: swift-log's standard-error stream, with every
/// message and metadata value neutralised first (`TerminalSanitizer`), since log messages
/// carry untrusted text such as an endpoint's error reason (escape sequences included).
struct SanitizingLogHandler: LogHandler {
    private var base: StreamLogHandler

    init(label: String) {
        base = StreamLogHandler.standardError(label: label)
    }

    var logLevel: Logger.Level {
        get { base.logLevel }
        set { base.logLevel = newValue }
    }

    var metadata: Logger.Metadata {
        get { base.metadata }
        set { base.metadata = newValue }
    }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { base[metadataKey: key] }
        set { base[metadataKey: key] = newValue }
    }

    func log(event: LogEvent) {
        var safe = event
        var text = event.message.description
        if let error = event.error {
            text += " (\(error))"
            safe.error = nil
        }
        safe.message = "\(TerminalSanitizer.sanitize(text, options: .singleLine))"
        safe.metadata = event.metadata?.mapValues { .string(TerminalSanitizer.sanitize("\($0)", options: .singleLine)) }
        base.log(event: safe)
    }

    /// Routes every logger of the process here. swift-log allows one bootstrap per process:
    /// call this once, before any logger is made.
    static func bootstrap() {
        LoggingSystem.bootstrap { label in SanitizingLogHandler(label: label) }
    }
}
