/// Actual vs target share of each task category, and the hard share, for one round.
public struct TasksViewModel: Sendable, Equatable {
    public struct Category: Sendable, Equatable {
        public var name: String
        public var count: Int
        /// Share of all instructions (0…1).
        public var actual: Double
        /// Target share from the curriculum mix, if configured.
        public var target: Double?
        /// Share of this category's instructions that are hard (0…1).
        public var hardShare: Double?

        public init(name: String, count: Int, actual: Double, target: Double? = nil, hardShare: Double? = nil) {
            self.name = name
            self.count = count
            self.actual = actual
            self.target = target
            self.hardShare = hardShare
        }
    }

    public var round: Int?
    public var categories: [Category]

    public init(round: Int? = nil, categories: [Category] = []) {
        self.round = round
        self.categories = categories
    }
}
