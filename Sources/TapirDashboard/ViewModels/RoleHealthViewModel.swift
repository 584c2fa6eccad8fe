import Foundation

/// The endpoint roles that need attention (failing or paused), for the Rounds screen and the
/// status bar. Empty when every role is ok.
public struct RoleHealthViewModel: Sendable, Equatable {
    public struct Role: Sendable, Equatable {
        /// The role's name (`teacher`, `student`, `judge`, …).
        public var name: String
        /// True when calls are refused until a resume; false when only failing.
        public var paused: Bool
        public var consecutiveFailures: Int
        /// Why, already sanitised for the terminal (single line).
        public var reason: String
        /// Seconds since the last failure when the snapshot was loaded.
        public var lastFailureAge: Double?

        public init(name: String, paused: Bool, consecutiveFailures: Int, reason: String, lastFailureAge: Double? = nil) {
            self.name = name
            self.paused = paused
            self.consecutiveFailures = consecutiveFailures
            self.reason = reason
            self.lastFailureAge = lastFailureAge
        }
    }

    /// Paused roles first, then failing ones.
    public var roles: [Role]

    public init(roles: [Role] = []) {
        self.roles = roles
    }

    public var hasPausedRole: Bool { roles.contains(where: \.paused) }

    /// A few words for the status bar, e.g. `teacher paused` or `judge, student failing`;
    /// nil when every role is ok.
    public var statusMarker: String? {
        let paused = roles.filter(\.paused).map(\.name)
        let failing = roles.filter { !$0.paused }.map(\.name)
        let parts = [paused.isEmpty ? nil : paused.joined(separator: ", ") + " paused",
                     failing.isEmpty ? nil : failing.joined(separator: ", ") + " failing"].compactMap { $0 }
        return parts.isEmpty ? nil : parts.joined(separator: " · ")
    }
}
