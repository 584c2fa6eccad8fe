/// Every instruction, browsable and searchable, with the selected one's full record.
public struct SamplesViewModel: Sendable, Equatable {
    public struct Row: Sendable, Equatable {
        public var id: Int64
        public var category: String
        public var source: String
        public var state: String
        public var text: String

        public init(id: Int64, category: String, source: String, state: String, text: String) {
            self.id = id
            self.category = category
            self.source = source
            self.state = state
            self.text = text
        }
    }

    public struct Detail: Sendable, Equatable {
        public struct Response: Sendable, Equatable {
            public var role: String
            public var round: Int
            public var model: String
            public var text: String
            public init(role: String, round: Int, model: String, text: String) {
                self.role = role
                self.round = round
                self.model = model
                self.text = text
            }
        }

        public struct Judgement: Sendable, Equatable {
            public var round: Int
            public var teacher: Double?
            public var student: Double?
            public var mfd: Double?
            public var rationale: String
            public init(round: Int, teacher: Double?, student: Double?, mfd: Double?, rationale: String) {
                self.round = round
                self.teacher = teacher
                self.student = student
                self.mfd = mfd
                self.rationale = rationale
            }
        }

        public var id: Int64
        public var text: String
        public var input: String
        public var responses: [Response]
        public var judgements: [Judgement]
        /// Oldest first: seed → expansion → … → this instruction.
        public var lineage: [String]

        public init(id: Int64, text: String, input: String, responses: [Response], judgements: [Judgement], lineage: [String]) {
            self.id = id
            self.text = text
            self.input = input
            self.responses = responses
            self.judgements = judgements
            self.lineage = lineage
        }
    }

    public var rows: [Row]
    public var total: Int
    /// Full record of the selected row, loaded on demand.
    public var detail: Detail?

    public init(rows: [Row] = [], total: Int = 0, detail: Detail? = nil) {
        self.rows = rows
        self.total = total
        self.detail = detail
    }
}
