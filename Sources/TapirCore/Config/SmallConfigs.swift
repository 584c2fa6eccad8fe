/// The `budgets:` section, in US dollars; `nil` means no limit.
public struct BudgetConfig: Sendable, Hashable {
    /// Spend limit for the whole run.
    public var runUSD: Double?
    /// Spend limit per round.
    public var roundUSD: Double?

    public init(runUSD: Double? = nil, roundUSD: Double? = nil) {
        self.runUSD = runUSD
        self.roundUSD = roundUSD
    }

    public static let defaults = BudgetConfig()
}

/// The `cache:` section: reuse stored LLM replies for identical requests.
public struct CacheConfig: Sendable, Hashable {
    public var enabled: Bool

    public init(enabled: Bool = true) { self.enabled = enabled }

    public static let defaults = CacheConfig()
}

/// The `dashboard:` section.
public struct DashboardConfig: Sendable, Hashable {
    /// Theme name (a file in `themes/`) or path.
    public var theme: String
    /// Opt in to mouse reporting.
    public var mouse: Bool
    /// Key binding overrides: action name → key (for example `approve: y`).
    public var keys: [String: String]

    public init(theme: String = "default", mouse: Bool = false, keys: [String: String] = [:]) {
        self.theme = theme
        self.mouse = mouse
        self.keys = keys
    }

    public static let defaults = DashboardConfig()
}

/// The `logging:` section.
public struct LoggingConfig: Sendable, Hashable {
    public enum Level: String, Sendable, Hashable, CaseIterable, Comparable {
        case trace, debug, info, notice, warning, error, critical

        public static func < (lhs: Level, rhs: Level) -> Bool {
            allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
        }
    }

    public var level: Level

    public init(level: Level = .info) { self.level = level }

    public static let defaults = LoggingConfig()
}
