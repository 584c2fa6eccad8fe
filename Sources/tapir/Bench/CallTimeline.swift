import Foundation

/// The intervals during which model calls were in flight, on one monotonic clock, so a
/// benchmark can tell time spent waiting for models from the engine's own work.
final class CallTimeline: @unchecked Sendable {
    private let origin = ContinuousClock.now
    private let lock = NSLock()
    private var intervals: [(start: Double, end: Double)] = []

    /// Seconds since the timeline was created.
    func now() -> Double {
        let elapsed = origin.duration(to: .now)
        return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
    }

    func record(start: Double, end: Double) {
        lock.lock()
        intervals.append((start, end))
        lock.unlock()
    }

    /// Calls that started within `window`.
    func calls(in window: ClosedRange<Double>) -> Int {
        lock.lock()
        defer { lock.unlock() }
        return intervals.reduce(0) { $0 + (window.contains($1.start) ? 1 : 0) }
    }

    /// Seconds of `window` during which at least one call was in flight (the union of the
    /// call intervals, clipped to the window).
    func coveredSeconds(in window: ClosedRange<Double>) -> Double {
        lock.lock()
        let sorted = intervals.sorted { $0.start < $1.start }
        lock.unlock()
        return Self.union(sorted, clippedTo: window)
    }

    /// The stretches of `window` with no call in flight, in time order: where each starts and
    /// how long it lasts, in seconds.
    func gaps(in window: ClosedRange<Double>) -> [(start: Double, length: Double)] {
        lock.lock()
        let sorted = intervals.sorted { $0.start < $1.start }
        lock.unlock()
        var gaps: [(start: Double, length: Double)] = []
        var covered = window.lowerBound
        for interval in sorted where interval.end > window.lowerBound && interval.start < window.upperBound {
            if interval.start > covered { gaps.append((covered, interval.start - covered)) }
            covered = max(covered, interval.end)
        }
        if window.upperBound > covered { gaps.append((covered, window.upperBound - covered)) }
        return gaps
    }

    /// Length of the union of `sorted` (by start) intervals inside `window`.
    static func union(_ sorted: [(start: Double, end: Double)], clippedTo window: ClosedRange<Double>) -> Double {
        var covered = 0.0
        var current: (start: Double, end: Double)?
        for interval in sorted {
            let start = max(interval.start, window.lowerBound), end = min(interval.end, window.upperBound)
            guard end > start else { continue }
            if let open = current, start <= open.end {
                current = (open.start, max(open.end, end))
            } else {
                if let open = current { covered += open.end - open.start }
                current = (start, end)
            }
        }
        if let open = current { covered += open.end - open.start }
        return covered
    }
}
