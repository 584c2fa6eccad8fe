import Foundation

/// The last `capacity` log lines of this process, kept in memory for the Logs screen.
/// Any thread may append (a logging backend does); the dashboard reads snapshots.
public final class LogRing: @unchecked Sendable {
    public let capacity: Int
    private let lock = NSLock()
    private var lines: [LogsViewModel.Line] = []
    /// Index of the oldest line once the ring is full.
    private var start = 0
    private var appended = 0

    public init(capacity: Int = 500) {
        self.capacity = max(1, capacity)
        lines.reserveCapacity(self.capacity)
    }

    /// Adds a line, dropping the oldest when full.
    public func append(_ line: LogsViewModel.Line) {
        lock.lock()
        defer { lock.unlock() }
        appended += 1
        if lines.count < capacity {
            lines.append(line)
        } else {
            lines[start] = line
            start = (start + 1) % capacity
        }
    }

    /// The kept lines, oldest first.
    public func snapshot() -> [LogsViewModel.Line] {
        lock.lock()
        defer { lock.unlock() }
        return Array(lines[start...] + lines[..<start])
    }

    /// Lines appended since the ring was made (a cheap change counter).
    public var count: Int {
        lock.lock()
        defer { lock.unlock() }
        return appended
    }

    /// Merges `events` (oldest first) with the ring's lines by time, keeping the newest `limit`.
    public func merged(with events: [LogsViewModel.Line], limit: Int) -> [LogsViewModel.Line] {
        let own = snapshot()
        guard !own.isEmpty else { return events }
        var out: [LogsViewModel.Line] = []
        out.reserveCapacity(events.count + own.count)
        var i = 0, j = 0
        while i < events.count || j < own.count {
            if j >= own.count || (i < events.count && events[i].time <= own[j].time) {
                out.append(events[i]); i += 1
            } else {
                out.append(own[j]); j += 1
            }
        }
        return out.count > limit ? Array(out.suffix(limit)) : out
    }
}
