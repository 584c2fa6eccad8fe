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
