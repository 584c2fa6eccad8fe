/// Sorted difficulty values, overall and per category, answering "how many would be hard at
/// δ′?" in O(log n) — for the dashboard's δ slider and histogram.
public struct DifficultyDistribution: Sendable, Hashable {
    /// All values, ascending.
    public let sortedValues: [Double]
    private let sortedByCategory: [String: [Double]]

    /// Builds the distribution; non-finite values are left out.
    public init(values: [(category: String, value: Double)]) {
        var all: [Double] = []
        var byCategory: [String: [Double]] = [:]
        for (category, value) in values where value.isFinite {
            all.append(value)
            byCategory[category, default: []].append(value)
        }
        sortedValues = all.sorted()
        sortedByCategory = byCategory.mapValues { $0.sorted() }
    }

    /// Categories present, sorted by name.
    public var categories: [String] { sortedByCategory.keys.sorted() }

    /// Number of values.
    public var count: Int { sortedValues.count }

    /// Number of values strictly above `threshold` (hard at δ′ = threshold), optionally in one category.
    public func hardCount(above threshold: Double, category: String? = nil) -> Int {
        let values = category.map { sortedByCategory[$0] ?? [] } ?? sortedValues
        return values.count - Self.upperBound(values, threshold)
    }

    /// Hard count per category at δ′.
    public func hardCountsByCategory(above threshold: Double) -> [String: Int] {
        sortedByCategory.mapValues { $0.count - Self.upperBound($0, threshold) }
    }

    /// The value at quantile `q` ∈ [0, 1] (nearest rank), nil when empty.
    public func quantile(_ q: Double) -> Double? {
        guard !sortedValues.isEmpty else { return nil }
        let rank = Int((min(1, max(0, q)) * Double(sortedValues.count - 1)).rounded())
        return sortedValues[rank]
    }

    /// Counts in `bins` equal-width bins over [lower, upper]; values outside go to the end bins.
    public func histogram(bins: Int, lower: Double, upper: Double) -> [Int] {
        guard bins > 0 else { return [] }
        var counts = [Int](repeating: 0, count: bins)
        let width = (upper - lower) / Double(bins)
        for value in sortedValues {
            let bin = width > 0 ? Int(((value - lower) / width).rounded(.down)) : 0
            counts[min(bins - 1, max(0, bin))] += 1
        }
        return counts
    }

    /// Index of the first element greater than `value`.
    static func upperBound(_ values: [Double], _ value: Double) -> Int {
        var low = 0, high = values.count
        while low < high {
            let mid = (low + high) / 2
            if values[mid] <= value { low = mid + 1 } else { high = mid }
        }
        return low
    }
}
