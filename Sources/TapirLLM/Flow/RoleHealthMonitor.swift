import Foundation

/// Tracks a role's consecutive failed requests (each after its retries) and pauses the
/// role at `pauseAfter` of them, or at once when the endpoint rejects the key or model.
public final class RoleHealthMonitor: @unchecked Sendable {
    public let role: String
    public let pauseAfter: Int
    private let lock = NSLock()
    private var health = RoleHealth()
    private let onChange: (@Sendable (RoleHealth) -> Void)?

    /// - Parameter onChange: called (outside the lock) whenever the state or reason changes,
    ///   e.g. to write an engine event the dashboard reads.
    public init(role: String, pauseAfter: Int = 3, onChange: (@Sendable (RoleHealth) -> Void)? = nil) {
        self.role = role
        self.pauseAfter = max(1, pauseAfter)
        self.onChange = onChange
    }

    /// Applies `change` under the lock and reports a changed state or reason.
    private func update(_ change: (inout RoleHealth) -> Void) {
        lock.lock()
        let before = health
        change(&health)
        let after = health
        lock.unlock()
        if before.state != after.state || before.reason != after.reason { onChange?(after) }
    }

    /// The current status.
    public var snapshot: RoleHealth {
        lock.lock(); defer { lock.unlock() }
        return health
    }

    /// Throws `LLMError.rolePaused` while the role is paused.
    public func checkUsable() throws {
        lock.lock(); defer { lock.unlock() }
        if health.state == .paused {
            throw LLMError.rolePaused(role: role, reason: health.reason ?? "repeated failures")
        }
    }

    public func recordSuccess() {
        update { health in
            health.succeeded += 1
            health.consecutiveFailures = 0
            if health.state == .degraded {
                health.state = .healthy
                health.reason = nil
                health.since = Date()
            }
        }
    }

    public func recordFailure(_ error: LLMError) {
        let pauseAfter = pauseAfter
        update { health in
            health.failed += 1
            health.consecutiveFailures += 1
            health.lastError = error.description
            guard health.state != .paused else { return }
            let reason: String
            let status = error.status ?? 0
            if status == 401 || status == 403 {
                reason = "the endpoint rejected the API key (HTTP \(status))"
            } else if status == 404 {
                reason = "the endpoint or model was not found (HTTP 404)"
            } else if health.consecutiveFailures >= pauseAfter {
                reason = "\(health.consecutiveFailures) consecutive requests failed; last: \(error.description)"
            } else {
                health.state = .degraded
                health.reason = "\(health.consecutiveFailures) consecutive failure(s)"
                health.since = Date()
                return
            }
            health.state = .paused
            health.reason = reason
            health.since = Date()
        }
    }

    /// Clears a pause (a person fixed the endpoint or raised a limit).
    public func resume() {
        update { health in
            health.state = .healthy
            health.reason = nil
            health.consecutiveFailures = 0
            health.since = Date()
        }
    }
}
