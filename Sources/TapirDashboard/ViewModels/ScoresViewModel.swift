/// Judge scores of one round: teacher and student distributions, MFD values and δ.
public struct ScoresViewModel: Sendable, Equatable {
    public var round: Int?
    public var teacherScores: [Double]
    public var studentScores: [Double]
    public var mfd: [Double]
    /// δ in force for this round.
    public var delta: Double
    /// δ requested for the next round (from the control table), if any.
    public var nextDelta: Double?
    /// Share of judgements whose winner is the same in both orders (0…1).
    public var consistency: Double?

    public init(round: Int? = nil, teacherScores: [Double] = [], studentScores: [Double] = [], mfd: [Double] = [],
                delta: Double = 1.0, nextDelta: Double? = nil, consistency: Double? = nil) {
        self.round = round
        self.teacherScores = teacherScores
        self.studentScores = studentScores
        self.mfd = mfd
        self.delta = delta
        self.nextDelta = nextDelta
        self.consistency = consistency
    }

    /// How many instructions are hard (MFD > δ) at a given δ.
    public func hardCount(at delta: Double) -> Int { mfd.filter { $0 > delta }.count }
}
