import GRDB

/// A row of `compositions`: one example of a round's composed training set. An instruction
/// resampled more than once appears with increasing `repeatIndex`.
public struct CompositionRecord: Codable, Sendable, Hashable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "compositions"

    public var round: Int
    public var instructionID: Int64
    public var repeatIndex: Int
    /// The response trained on (refined or teacher).
    public var responseID: Int64
    public var hard: Bool
    /// Order in the exported file.
    public var position: Int

    public init(round: Int, instructionID: Int64, repeatIndex: Int = 0, responseID: Int64, hard: Bool, position: Int) {
        self.round = round
        self.instructionID = instructionID
        self.repeatIndex = repeatIndex
        self.responseID = responseID
        self.hard = hard
        self.position = position
    }

    enum CodingKeys: String, CodingKey {
        case round, hard, position
        case instructionID = "instruction_id", repeatIndex = "repeat_index", responseID = "response_id"
    }
}

/// A row of `evaluations`: the judge's verdict on the student vs the reference for one
/// held-out instruction after a round.
public struct EvaluationRecord: Codable, Sendable, Hashable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "evaluations"

    public var round: Int
    public var instructionID: Int64
    public var verdict: EvaluationVerdict
    public var category: String?
    public var studentScore: Double?
    public var referenceScore: Double?
    public var rationale: String?

    public init(round: Int, instructionID: Int64, verdict: EvaluationVerdict, category: String? = nil,
                studentScore: Double? = nil, referenceScore: Double? = nil, rationale: String? = nil) {
        self.round = round
        self.instructionID = instructionID
        self.verdict = verdict
        self.category = category
        self.studentScore = studentScore
        self.referenceScore = referenceScore
        self.rationale = rationale
    }

    enum CodingKeys: String, CodingKey {
        case round, verdict, category, rationale
        case instructionID = "instruction_id", studentScore = "student_score", referenceScore = "reference_score"
    }
}

/// Win rate of the student against the reference: wins count 1, ties ½.
public struct WinRate: Codable, Sendable, Hashable {
    /// `nil` for the overall figure.
    public var category: String?
    public var wins: Int
    public var ties: Int
    public var losses: Int

    public init(category: String?, wins: Int, ties: Int, losses: Int) {
        self.category = category
        self.wins = wins
        self.ties = ties
        self.losses = losses
    }

    public var total: Int { wins + ties + losses }
    public var rate: Double { total > 0 ? (Double(wins) + 0.5 * Double(ties)) / Double(total) : 0 }
}
