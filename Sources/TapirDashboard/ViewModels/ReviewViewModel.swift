/// The expansion approval queue.
public struct ReviewViewModel: Sendable, Equatable {
    public struct Neighbour: Sendable, Equatable {
        public var text: String
        /// Similarity to the new instruction, when the dedup stage recorded it.
        public var similarity: Double?
        public init(text: String, similarity: Double?) {
            self.text = text
            self.similarity = similarity
        }
    }

    public struct Item: Sendable, Equatable {
        public var id: Int64
        public var round: Int
        public var category: String
        public var text: String
        public var parentText: String
        public var studentAnswer: String
        public var rationale: String
        public var nearest: [Neighbour]

        public init(id: Int64, round: Int, category: String, text: String, parentText: String,
                    studentAnswer: String, rationale: String, nearest: [Neighbour]) {
            self.id = id
            self.round = round
            self.category = category
            self.text = text
            self.parentText = parentText
            self.studentAnswer = studentAnswer
            self.rationale = rationale
            self.nearest = nearest
        }
    }

    public var items: [Item]
    public var approvedCount: Int
    public var rejectedCount: Int

    public init(items: [Item] = [], approvedCount: Int = 0, rejectedCount: Int = 0) {
        self.items = items
        self.approvedCount = approvedCount
        self.rejectedCount = rejectedCount
    }
}
