import Foundation
import TapirCore
import TapirStore

/// Takes a trainer's output lines: appends each to the log file at once, keeps the last
/// lines for an error report, parses loss values, and hands events and loss points to the
/// store in batches (`flush()`), so a chatty trainer costs one transaction per batch.
final class TrainerOutputSink: @unchecked Sendable {
    static let tailLength = 20

    private let lock = NSLock()
    private let log: FileHandle
    private let store: WorkspaceStore
    private let runID: Int64
    private let round: Int
    private var tail: [String] = []
    private var pendingEvents: [(EventLevel, String)] = []
    private var pendingLoss: [TrainerLossRecord] = []
    private var nextStep = 1
    private var lossTotal = 0
    private var latestLoss: Double?

    init(log: FileHandle, store: WorkspaceStore, runID: Int64, round: Int) {
        self.log = log
        self.store = store
        self.runID = runID
        self.round = round
    }

    func consume(_ rawLine: String, stream: TrainerProcess.Stream) {
        let line = rawLine.trimmingCharacters(in: .whitespaces)
        guard !line.isEmpty else { return }
        let point = TrainerLossParser.parse(line)
        lock.lock()
        defer { lock.unlock() }
        try? log.write(contentsOf: Data(((stream == .stderr ? "[stderr] " : "") + line + "\n").utf8))
        tail.append(line)
        if tail.count > Self.tailLength { tail.removeFirst(tail.count - Self.tailLength) }
        pendingEvents.append((.info, String(line.prefix(2_000))))
        if let point {
            let step = point.step ?? nextStep
            nextStep = step + 1
            pendingLoss.append(TrainerLossRecord(runID: runID, step: step, loss: point.loss))
            lossTotal += 1
            latestLoss = point.loss
        }
    }

    /// Adds an event of the runner's own (start, finish, failure).
    func note(_ level: EventLevel, _ message: String) {
        lock.lock()
        pendingEvents.append((level, message))
        try? log.write(contentsOf: Data(("[tapir] " + message + "\n").utf8))
        lock.unlock()
    }

    var lastLines: [String] { lock.withLock { tail } }
    /// Loss points parsed so far.
    var lossCount: Int { lock.withLock { lossTotal } }
    /// The latest parsed loss.
    var lastLoss: Double? { lock.withLock { latestLoss } }

    /// Writes the pending events and loss points in one transaction. When the write fails
    /// they are put back in front of newer ones, for the next flush.
    func flush() async throws {
        let (events, points) = lock.withLock { () -> ([(EventLevel, String)], [TrainerLossRecord]) in
            defer { pendingEvents.removeAll(); pendingLoss.removeAll() }
            return (pendingEvents, pendingLoss)
        }
        guard !events.isEmpty || !points.isEmpty else { return }
        let round = round
        let messages = events.map { EventMessage(level: $0.0, text: $0.1) }
        do {
            try await store.write { writer in
                for event in messages {
                    _ = try writer.log(event.level, source: "trainer", event.text, round: round, stage: .train)
                }
                try writer.appendLoss(points)
            }
        } catch {
            lock.withLock {
                pendingEvents.insert(contentsOf: events, at: 0)
                pendingLoss.insert(contentsOf: points, at: 0)
            }
            throw error
        }
    }

    private struct EventMessage: Sendable {
        let level: EventLevel
        let text: String
    }
}
