import Foundation
import GRDB

/// A row of `judgements`: the judge's pairwise scores for one instruction in one round.
///
/// `ab` is the order teacher-first, `ba` student-first; MFD = mean teacher score − mean
/// student score over the orders that parsed.
public struct JudgementRecord: Codable, Sendable, Hashable, Identifiable, FetchableRecord, MutablePersistableRecord {
    public static let databaseTableName = "judgements"

    public var id: Int64?
    public var instructionID: Int64
    public var round: Int
    public var teacherScoreAB: Double?
    public var studentScoreAB: Double?
    public var teacherScoreBA: Double?
    public var studentScoreBA: Double?
    public var mfd: Double?
    public var rationale: String?
    public var judgeModel: String
    public var status: JudgementStatus
    public var error: String?
    public var createdAt: Date

    public init(
        id: Int64? = nil, instructionID: Int64, round: Int, teacherScoreAB: Double? = nil, studentScoreAB: Double? = nil,
        teacherScoreBA: Double? = nil, studentScoreBA: Double? = nil, mfd: Double? = nil, rationale: String? = nil,
        judgeModel: String, status: JudgementStatus = .ok, error: String? = nil, createdAt: Date = Date()
    ) {
        self.id = id
        self.instructionID = instructionID
        self.round = round
        self.teacherScoreAB = teacherScoreAB
        self.studentScoreAB = studentScoreAB
        self.teacherScoreBA = teacherScoreBA
        self.studentScoreBA = studentScoreBA
        self.mfd = mfd
        self.rationale = rationale
        self.judgeModel = judgeModel
        self.status = status
        self.error = error
        self.createdAt = createdAt
    }

    enum CodingKeys: String, CodingKey {
        case id, round, mfd, rationale, status, error
        case instructionID = "instruction_id", teacherScoreAB = "teacher_score_ab", studentScoreAB = "student_score_ab"
        case teacherScoreBA = "teacher_score_ba", studentScoreBA = "student_score_ba", judgeModel = "judge_model"
        case createdAt = "created_at"
    }

    public mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}
