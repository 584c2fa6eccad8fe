import Foundation

/// What the Rounds screen shows: one row per round and the live stages of the current one.
public struct RoundsViewModel: Sendable, Equatable {
    public struct Row: Sendable, Equatable {
        public var number: Int
        public var alpha: Double
        public var delta: Double
        public var stage: String
        public var state: String
        public var hardCount: Int?
        public var total: Int?
        public var winRate: Double?
        public var cost: Double?

        public init(number: Int, alpha: Double, delta: Double, stage: String, state: String,
                    hardCount: Int? = nil, total: Int? = nil, winRate: Double? = nil, cost: Double? = nil) {
            self.number = number
            self.alpha = alpha
            self.delta = delta
            self.stage = stage
            self.state = state
            self.hardCount = hardCount
            self.total = total
            self.winRate = winRate
            self.cost = cost
        }
    }

    public struct StageRow: Sendable, Equatable {
        public var stage: String
        public var done: Int
        public var total: Int
        /// Items per minute since the stage started.
        public var ratePerMinute: Double?
        /// Seconds left at the current rate.
        public var etaSeconds: Double?

        public init(stage: String, done: Int, total: Int, ratePerMinute: Double? = nil, etaSeconds: Double? = nil) {
            self.stage = stage
            self.done = done
            self.total = total
            self.ratePerMinute = ratePerMinute
            self.etaSeconds = etaSeconds
        }

        public var fraction: Double { total > 0 ? min(1, Double(done) / Double(total)) : 0 }
    }

    public var rows: [Row]
    /// The round whose stages are listed.
    public var currentRound: Int?
    public var stages: [StageRow]
    public var totalCost: Double
    /// Trainer loss points of the current round's run.
    public var loss: [Double]

    public init(rows: [Row] = [], currentRound: Int? = nil, stages: [StageRow] = [], totalCost: Double = 0, loss: [Double] = []) {
        self.rows = rows
        self.currentRound = currentRound
        self.stages = stages
        self.totalCost = totalCost
        self.loss = loss
    }
}
