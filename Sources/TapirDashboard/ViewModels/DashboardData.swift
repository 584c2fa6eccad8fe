/// Everything the screens show, as plain data filled from the workspace store.
public struct DashboardData: Sendable, Equatable {
    public var workspaceName: String
    /// Where the workspace's engine runs and what it does.
    public var engine: EngineStatus
    /// True while an engine (this process or another) holds the workspace.
    public var engineRunning: Bool {
        get { engine.running }
        set { if newValue != engine.running { engine = newValue ? EngineStatus(host: .otherProcess) : .idle } }
    }
    public var paused: Bool
    /// Endpoint roles that are failing or paused (loaded with the Rounds summary).
    public var roleHealth: RoleHealthViewModel
    public var rounds: RoundsViewModel
    public var tasks: TasksViewModel
    public var scores: ScoresViewModel
    public var hardQueue: HardQueueViewModel
    public var review: ReviewViewModel
    public var samples: SamplesViewModel
    public var logs: LogsViewModel

    public init(workspaceName: String = "", engineRunning: Bool = false, paused: Bool = false,
                roleHealth: RoleHealthViewModel = .init(), rounds: RoundsViewModel = .init(), tasks: TasksViewModel = .init(), scores: ScoresViewModel = .init(),
                hardQueue: HardQueueViewModel = .init(), review: ReviewViewModel = .init(),
                samples: SamplesViewModel = .init(), logs: LogsViewModel = .init()) {
        self.workspaceName = workspaceName
        engine = engineRunning ? EngineStatus(host: .otherProcess) : .idle
        self.paused = paused
        self.roleHealth = roleHealth
        self.rounds = rounds
        self.tasks = tasks
        self.scores = scores
        self.hardQueue = hardQueue
        self.review = review
        self.samples = samples
        self.logs = logs
    }
}
