/// Hard instructions of a round, highest MFD first.
public struct HardQueueViewModel: Sendable, Equatable {
    public struct Item: Sendable, Equatable {
        public var id: Int64
        public var category: String
        public var mfd: Double
        public var text: String

        public init(id: Int64, category: String, mfd: Double, text: String) {
            self.id = id
            self.category = category
            self.mfd = mfd
            self.text = text
        }
    }

    public var round: Int?
    public var items: [Item]

    public init(round: Int? = nil, items: [Item] = []) {
        self.round = round
        self.items = items
    }

    /// Categories present, sorted.
    public var categories: [String] { Array(Set(items.map(\.category))).sorted() }
}
