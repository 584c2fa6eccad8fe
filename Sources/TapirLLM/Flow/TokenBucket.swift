/// A continuously refilling budget of `perMinute` units per minute. Its burst is a tenth of
/// a minute's budget: providers enforce per-minute limits over shorter windows.
struct TokenBucket: Sendable {
    let capacity: Double
    private let perSecond: Double
    private(set) var level: Double
    private var updated: ContinuousClock.Instant

    init(perMinute: Int, now: ContinuousClock.Instant = .now) {
        perSecond = Double(max(1, perMinute)) / 60
        capacity = max(1, Double(perMinute) / 10)
        level = capacity
        updated = now
    }

    private mutating func refill(_ now: ContinuousClock.Instant) {
        let elapsed = updated.duration(to: now)
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
        level = min(capacity, level + seconds * perSecond)
        updated = now
    }

    /// Seconds until `amount` (clamped to the capacity) is available; 0 when it is now.
    mutating func wait(for amount: Double, now: ContinuousClock.Instant = .now) -> Double {
        refill(now)
        let needed = min(amount, capacity)
        return level >= needed ? 0 : (needed - level) / perSecond
    }

    /// Takes `amount`; the level may go negative when a correction exceeds what was left.
    mutating func take(_ amount: Double, now: ContinuousClock.Instant = .now) {
        refill(now)
        level -= amount
    }
}
