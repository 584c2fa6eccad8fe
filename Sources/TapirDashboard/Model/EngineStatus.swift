/// How the dashboard sees the workspace's engine: where it runs and what it is doing.
public struct EngineStatus: Sendable, Equatable {
    /// Where the engine runs.
    public enum Host: Sendable, Equatable {
        /// No engine holds the workspace.
        case none
        /// The engine runs inside this dashboard process (`tapir` alone).
        case thisProcess
        /// Another process (`tapir run`, another dashboard) holds the workspace's engine lock.
        case otherProcess
    }

    public var host: Host
    /// Waiting for a human decision (approvals, a pause) rather than working.
    public var waiting: Bool
    /// One short line for the status bar, e.g. "engine in this process" or why it stopped.
    public var note: String?

    public init(host: Host = .none, waiting: Bool = false, note: String? = nil) {
        self.host = host
        self.waiting = waiting
        self.note = note
    }

    /// True while an engine holds the workspace (quitting then asks for confirmation).
    public var running: Bool { host != .none }

    /// The engine is not running.
    public static let idle = EngineStatus()
}
