/// Everything the screens show, as plain data filled from the workspace store.
public struct DashboardData: Sendable, Equatable {
    public var workspaceName: String
    /// True while an engine (this process or another) holds the workspace.
    public var engineRunning: Bool
    public var paused: Bool
    public var rounds: RoundsViewModel
    public var tasks: TasksViewModel
    public var scores: ScoresViewModel
    public var hardQueue: HardQueueViewModel
    public var review: ReviewViewModel
    public var samples: SamplesViewModel
    public var logs: LogsViewModel

    public init(workspaceName: String = "", engineRunning: Bool = false, paused: Bool = false,
                rounds: RoundsViewModel = .init(), tasks: TasksViewModel = .init(), scores: ScoresViewModel = .init(),
                hardQueue: HardQueueViewModel = .init(), review: ReviewViewModel = .init(),
                samples: SamplesViewModel = .init(), logs: LogsViewModel = .init()) {
        self.workspaceName = workspaceName
        self.engineRunning = engineRunning
        self.paused = paused
        self.rounds = rounds
        self.tasks = tasks
        self.scores = scores
        self.hardQueue = hardQueue
        self.review = review
        self.samples = samples
        self.logs = logs
    }
}
