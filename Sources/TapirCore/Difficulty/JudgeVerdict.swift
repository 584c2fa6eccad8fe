/// A pairwise judgement asked in both orders to cancel position bias: once with the teacher's
/// response shown first, once with the student's first. Either order may be missing (not yet
/// asked, or the judge's reply could not be parsed).
public struct JudgeVerdict: Codable, Sendable, Hashable {
    /// Scores when the teacher's response was shown as the first answer.
    public var teacherFirst: JudgeScores?
    /// Scores when the student's response was shown as the first answer.
    public var studentFirst: JudgeScores?

    public init(teacherFirst: JudgeScores?, studentFirst: JudgeScores?) {
        self.teacherFirst = teacherFirst
        self.studentFirst = studentFirst
    }

    /// Builds the verdict from the two raw replies' (first answer, second answer) scores.
    public init(teacherFirstReply: (first: Double, second: Double)?, studentFirstReply: (first: Double, second: Double)?) {
        teacherFirst = teacherFirstReply.map { JudgeScores(teacher: $0.first, student: $0.second) }
        studentFirst = studentFirstReply.map { JudgeScores(teacher: $0.second, student: $0.first) }
    }

    /// The orders that were scored.
    public var orders: [JudgeScores] { [teacherFirst, studentFirst].compactMap { $0 } }

    /// Model fitting difficulty, or nil when neither order has scores.
    public var difficulty: ModelFittingDifficulty? {
        let scored = orders
        guard !scored.isEmpty else { return nil }
        let meanTeacher = scored.map(\.teacher).reduce(0, +) / Double(scored.count)
        let meanStudent = scored.map(\.student).reduce(0, +) / Double(scored.count)
        var consistency: Double?
        var sameWinner: Bool?
        if let a = teacherFirst, let b = studentFirst {
            // Gaps range over [-9, 9]; the distance between the two orders' gaps over [0, 18].
            consistency = max(0, 1 - abs(a.gap - b.gap) / 18)
            sameWinner = a.gap.sign == b.gap.sign && (a.gap == 0) == (b.gap == 0)
        }
        return ModelFittingDifficulty(
            meanTeacherScore: meanTeacher, meanStudentScore: meanStudent,
            orderCount: scored.count, consistency: consistency, ordersAgreeOnWinner: sameWinner)
    }
}
