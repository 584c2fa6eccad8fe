/// The hard share α_r of each round's training mix, rising over rounds (TAPIR: 0.3, 0.5, 0.7).
/// Values are clamped to [0, 1]; rounds past the end of the list keep the last value.
public struct AlphaSchedule: Codable, Sendable, Hashable {
    /// α per round, first round first.
    public var values: [Double]

    public init(_ values: [Double] = [0.3, 0.5, 0.7]) {
        self.values = values
    }

    /// α for round `round` (1-based). An empty schedule means 0.5 for every round.
    public func alpha(forRound round: Int) -> Double {
        guard let last = values.last else { return 0.5 }
        let index = max(0, round - 1)
        let value = index < values.count ? values[index] : last
        return value.isFinite ? min(1, max(0, value)) : 0.5
    }
}
