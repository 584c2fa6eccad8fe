import Foundation
import TapirCore
import TapirStore

/// What `tapir run` keeps on screen while the engine works: it follows the store until
/// cancelled, then `finish()` prints what is left.
protocol RunReporter: Sendable {
    func follow() async
    func finish()
}

/// Prints the engine's events as they land in the store, one line each (stdout not a
/// terminal: pipes, log files, `make demo` under the dashboard).
final class EventPrinter: RunReporter, @unchecked Sendable {
    private let store: WorkspaceStore
    private let lock = NSLock()
    private var lastID: Int64

    init(store: WorkspaceStore) {
        self.store = store
        lastID = (try? store.read { try $0.latestEvents(limit: 1).first?.id }) ?? 0
    }

    func follow() async {
        while !Task.isCancelled {
            finish()
            try? await Task.sleep(nanoseconds: 300_000_000)
        }
    }

    func finish() {
        let text = newEvents().map { Self.format($0) + "\n" }.joined()
        // Unbuffered, so a pipe or log file sees each event as it happens.
        if !text.isEmpty { FileHandle.standardOutput.write(Data(text.utf8)) }
    }

    /// Info-and-above events stored since the last call.
    func newEvents() -> [EventRecord] {
        lock.lock()
        defer { lock.unlock() }
        guard let events = try? store.read({ try $0.events(afterID: lastID, minLevel: .info, limit: 500) }) else { return [] }
        for event in events { lastID = max(lastID, event.id ?? lastID) }
        return events
    }

    // ISO8601DateFormatter is thread-safe once configured.
    nonisolated(unsafe) private static let formatter = ISO8601DateFormatter()

    /// `time level source [round N stage]: message`, the message neutralised (it may quote
    /// model output or dataset text) and kept on one line.
    static func format(_ event: EventRecord) -> String {
        let place = [event.round.map { "round \($0)" }, event.stage?.rawValue].compactMap { $0 }.joined(separator: " ")
        let text = TerminalSanitizer.sanitize(event.message, options: .init(newline: .placeholder, tab: .space))
        let source = TerminalSanitizer.sanitize(event.source, options: .init(newline: .space, tab: .space))
        return "\(formatter.string(from: event.time)) \(event.level.rawValue) \(source)\(place.isEmpty ? "" : " [\(place)]"): \(text)"
    }
}
