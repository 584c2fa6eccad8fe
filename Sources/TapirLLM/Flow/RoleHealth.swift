import Foundation

/// How usable a role's endpoint is right now, for the dashboard and the engine.
public struct RoleHealth: Sendable, Equatable {
    public enum State: String, Sendable, Equatable {
        /// The last request succeeded (or none was made).
        case healthy
        /// Recent requests failed, but fewer than the pause threshold in a row.
        case degraded
        /// Too many consecutive failures (or the key/model was rejected): calls are refused until resumed.
        case paused
    }

    public var state: State
    /// Why the role is degraded or paused.
    public var reason: String?
    /// The most recent error, redacted.
    public var lastError: String?
    public var consecutiveFailures: Int
    public var succeeded: Int
    public var failed: Int
    public var since: Date

    public init(state: State = .healthy, reason: String? = nil, lastError: String? = nil, consecutiveFailures: Int = 0,
                succeeded: Int = 0, failed: Int = 0, since: Date = Date()) {
        self.state = state
        self.reason = reason
        self.lastError = lastError
        self.consecutiveFailures = consecutiveFailures
        self.succeeded = succeeded
        self.failed = failed
        self.since = since
    }
}
