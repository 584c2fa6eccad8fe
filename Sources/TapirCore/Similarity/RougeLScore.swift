/// Precision, recall and F-measure of ROUGE-L (longest common subsequence of tokens).
public struct RougeLScore: Sendable, Hashable {
    /// LCS length / candidate length.
    public var precision: Double
    /// LCS length / reference length.
    public var recall: Double
    /// Weighted harmonic mean (1 + β²)·P·R / (R + β²·P); with β = 1 this is 2·LCS / (m + n).
    public var fMeasure: Double
}
