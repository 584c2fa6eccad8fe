/// The judge's scores (1–10) for the teacher's and the student's response in one pairwise call.
public struct JudgeScores: Codable, Sendable, Hashable {
    public var teacher: Double
    public var student: Double

    public init(teacher: Double, student: Double) {
        self.teacher = teacher
        self.student = student
    }

    /// Teacher minus student.
    public var gap: Double { teacher - student }
}

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

/// MFD: how far the student's response falls behind the teacher's in the judge's eyes.
public struct ModelFittingDifficulty: Codable, Sendable, Hashable {
    /// Mean judge score of the teacher's response over the scored orders.
    public var meanTeacherScore: Double
    /// Mean judge score of the student's response over the scored orders.
    public var meanStudentScore: Double
    /// How many orders were scored (1 or 2).
    public var orderCount: Int
    /// 1 − |gap₁ − gap₂| / 18: 1 when both orders give the same teacher−student gap, 0 when
    /// they are maximally opposed. Nil with only one order.
    public var consistency: Double?
    /// Whether both orders prefer the same response (or both call a tie). Nil with one order.
    public var ordersAgreeOnWinner: Bool?

    public init(
        meanTeacherScore: Double, meanStudentScore: Double, orderCount: Int, consistency: Double?,
        ordersAgreeOnWinner: Bool?
    ) {
        self.meanTeacherScore = meanTeacherScore
        self.meanStudentScore = meanStudentScore
        self.orderCount = orderCount
        self.consistency = consistency
        self.ordersAgreeOnWinner = ordersAgreeOnWinner
    }

    /// Mean teacher score − mean student score. High = hard for the student.
    public var value: Double { meanTeacherScore - meanStudentScore }
}
