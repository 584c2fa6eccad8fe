/// The difficulty signals stored for one instruction; the configured `DifficultyKind` picks
/// the one that drives hard/easy selection.
public struct DifficultySignals: Codable, Sendable, Hashable {
    /// The judge's pairwise verdict (for MFD), if judged.
    public var verdict: JudgeVerdict?
    /// The student's likelihood of the teacher response (for NLL and IFD), if scored natively.
    public var likelihood: ResponseLikelihood?

    public init(verdict: JudgeVerdict? = nil, likelihood: ResponseLikelihood? = nil) {
        self.verdict = verdict
        self.likelihood = likelihood
    }

    /// The value of `kind`, or nil when its signal is missing or not finite.
    public func value(for kind: DifficultyKind) -> Double? {
        let value: Double?
        switch kind {
        case .judge: value = verdict?.difficulty?.value
        case .ifd: value = likelihood.flatMap { $0.tokenCount > 0 ? $0.ifd : nil }
        case .nll: value = likelihood.flatMap { $0.tokenCount > 0 ? $0.meanNLL : nil }
        }
        guard let value, value.isFinite else { return nil }
        return value
    }
}

extension DifficultyKind {
    /// The default hard threshold δ for this measure: MFD 1 point on the 1–10 scale; IFD 1
    /// (the instruction does not make the response easier to predict); NLL 1.5 nats/token.
    public var defaultThreshold: Double {
        switch self {
        case .judge: 1.0
        case .ifd: 1.0
        case .nll: 1.5
        }
    }
}
