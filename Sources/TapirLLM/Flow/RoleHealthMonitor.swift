import Foundation
import TapirCore
import TapirStore

/// Tracks a role's consecutive failed requests (each after its retries) and pauses the
/// role at `pauseAfter` of them, or at once when the endpoint rejects the key or model.
/// While paused, `checkUsable` refuses every call until `resume()` (or `tapir resume`,
/// for a monitor started from the stored health) clears it.
public final class RoleHealthMonitor: @unchecked Sendable {
    public let role: ModelRole
    public let pauseAfter: Int
    /// How often a success that changes nothing else is reported (to refresh `lastSuccessAt`).
    public let successReportInterval: TimeInterval
    private let lock = NSLock()
    // Guarded by `lock`.
    private var health: RoleHealthRecord
    private var lastReportedSuccess: Date?
    private let onChange: (@Sendable (RoleHealthRecord) async -> Void)?

    /// - Parameters:
    ///   - initial: the stored health to continue from (a paused role stays paused).
    ///   - onChange: awaited after every change of state, reason or failure streak (and at
    ///     most every `successReportInterval` for plain successes), e.g. to store it.
    public init(role: ModelRole, pauseAfter: Int = 3, initial: RoleHealthRecord? = nil,
                successReportInterval: TimeInterval = 60, onChange: (@Sendable (RoleHealthRecord) async -> Void)? = nil) {
        self.role = role
        self.pauseAfter = max(1, pauseAfter)
        self.successReportInterval = successReportInterval
        self.onChange = onChange
        var start = initial ?? RoleHealthRecord(role: role)
        start.role = role
        self.health = start
    }

    /// The current status.
    public var snapshot: RoleHealthRecord {
        lock.withLock { health }
    }

    /// Throws `LLMError.rolePaused` (naming the reason) while the role is paused.
    public func checkUsable() throws {
        let current = snapshot
        if current.state == .paused {
            throw LLMError.rolePaused(role: role.rawValue, reason: current.reason ?? "repeated failures")
        }
    }

    public func recordSuccess() async {
        let now = Date()
        await update { health, report in
            health.lastSuccessAt = now
            if health.state != .ok || health.consecutiveFailures != 0 {
                health.state = .ok
                health.reason = nil
                health.consecutiveFailures = 0
                report = true
            } else if let last = lastReportedSuccess, now.timeIntervalSince(last) < successReportInterval {
                report = false
            } else {
                report = true
            }
            if report { lastReportedSuccess = now }
        }
    }

    public func recordFailure(_ error: LLMError) async {
        let pauseAfter = pauseAfter
        await update { health, report in
            report = true
            health.consecutiveFailures += 1
            health.lastError = error.description
            health.lastFailureAt = Date()
            guard health.state != .paused else { return }
            let status = error.status ?? 0
            if status == 401 || status == 403 {
                health.reason = "the endpoint rejected the API key (HTTP \(status))"
            } else if status == 404 {
                health.reason = "the endpoint or model was not found (HTTP 404)"
            } else if health.consecutiveFailures >= pauseAfter {
                health.reason = "\(health.consecutiveFailures) consecutive requests failed; last: \(error.description)"
            } else {
                health.state = .failing
                health.reason = "\(health.consecutiveFailures) consecutive failure(s); last: \(error.description)"
                return
            }
            health.state = .paused
        }
    }

    /// Clears a pause (a person fixed the endpoint or raised a limit).
    public func resume() async {
        await update { health, report in
            report = health.state != .ok || health.consecutiveFailures != 0
            health.state = .ok
            health.reason = nil
            health.consecutiveFailures = 0
        }
    }

    /// Applies `change` under the lock; a reported change gets the next revision and is
    /// handed to `onChange` outside the lock.
    private func update(_ change: (inout RoleHealthRecord, inout Bool) -> Void) async {
        let reported: RoleHealthRecord? = lock.withLock {
            var report = false
            change(&health, &report)
            guard report else { return nil }
            health.revision += 1
            health.updatedAt = Date()
            return health
        }
        if let reported, let onChange { await onChange(reported) }
    }
}
