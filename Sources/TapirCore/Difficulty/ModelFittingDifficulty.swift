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
