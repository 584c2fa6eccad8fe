import Foundation
import GRDB
import TapirCore

/// How usable an endpoint role is.
public enum RoleHealthState: String, Codable, Sendable, Hashable, CaseIterable {
    /// The last request succeeded (or none was made).
    case ok
    /// Recent requests failed, fewer than the pause threshold in a row.
    case failing
    /// Too many consecutive failures, or the key or model was rejected: calls are refused
    /// until `tapir resume` (or the dashboard) clears it.
    case paused
}

/// A row of `role_health`: the health of one endpoint role, written by the engine's model
/// clients when it changes and read by `tapir status`, `tapir doctor` and the dashboard.
/// `reason` and `lastError` are redacted by the client and cut to `maxTextLength`.
public struct RoleHealthRecord: Codable, Sendable, Hashable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "role_health"
    /// Longest stored `reason` / `lastError`, in characters.
    public static let maxTextLength = 300

    public var role: ModelRole
    public var state: RoleHealthState
    /// Why the role is failing or paused; nil when ok.
    public var reason: String?
    /// The most recent error (redacted), kept after recovery.
    public var lastError: String?
    public var consecutiveFailures: Int
    public var lastSuccessAt: Date?
    public var lastFailureAt: Date?
    /// Grows with every change; a write never replaces a newer revision.
    public var revision: Int
    public var updatedAt: Date

    public init(role: ModelRole, state: RoleHealthState = .ok, reason: String? = nil, lastError: String? = nil,
                consecutiveFailures: Int = 0, lastSuccessAt: Date? = nil, lastFailureAt: Date? = nil, revision: Int = 0,
                updatedAt: Date = Date()) {
        self.role = role
        self.state = state
        self.reason = reason
        self.lastError = lastError
        self.consecutiveFailures = consecutiveFailures
        self.lastSuccessAt = lastSuccessAt
        self.lastFailureAt = lastFailureAt
        self.revision = revision
        self.updatedAt = updatedAt
    }

    /// Whether calls to the role are refused.
    public var isPaused: Bool { state == .paused }

    enum CodingKeys: String, CodingKey {
        case role, state, reason, revision
        case lastError = "last_error", consecutiveFailures = "consecutive_failures"
        case lastSuccessAt = "last_success_at", lastFailureAt = "last_failure_at", updatedAt = "updated_at"
    }

    /// `text` cut to `maxTextLength` characters.
    static func short(_ text: String?) -> String? {
        guard let text, text.count > maxTextLength else { return text }
        return String(text.prefix(maxTextLength - 1)) + "…"
    }
}
