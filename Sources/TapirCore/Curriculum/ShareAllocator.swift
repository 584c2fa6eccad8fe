/// Integer allocation of a quota over categories in proportion to weights, capped by supply.
/// Shared by `CurriculumComposer` and `CategoryBalancer`; deterministic (ties by key order).
struct ShareAllocator {
    struct Allocation: Equatable {
        /// Distinct items taken per category (≤ supply).
        var unique: [Int]
        /// Extra picks beyond supply (repeats) per category.
        var repeats: [Int]
    }

    /// Splits `quota` into integers proportional to `weights` (largest remainder; ties to the
    /// lower index). Zero total weight spreads evenly.
    static func proportional(_ quota: Int, weights: [Double]) -> [Int] {
        guard quota > 0, !weights.isEmpty else { return [Int](repeating: 0, count: weights.count) }
        var w = weights.map { $0.isFinite ? max(0, $0) : 0 }
        var total = w.reduce(0, +)
        if total <= 0 {
            w = [Double](repeating: 1, count: w.count)
            total = Double(w.count)
        }
        let exact = w.map { Double(quota) * $0 / total }
        var counts = exact.map { Int($0.rounded(.down)) }
        var left = quota - counts.reduce(0, +)
        let order = exact.indices.sorted { a, b in
            let ra = exact[a] - Double(counts[a]), rb = exact[b] - Double(counts[b])
            return ra != rb ? ra > rb : a < b
        }
        var k = 0
        while left > 0 {
            let i = order[k % order.count]
            if w[i] > 0 { counts[i] += 1; left -= 1 }
            k += 1
        }
        return counts
    }

    /// Takes `quota` items: each category's proportional share first, capped at its supply;
    /// the deficit flows to categories with supply left (by weight, else by spare supply);
    /// only when all supply is used do repeats fill the rest (by weight among categories
    /// with any supply). Categories without supply get nothing.
    static func allocate(_ quota: Int, weights: [Double], supply: [Int]) -> Allocation {
        let n = weights.count
        var unique = [Int](repeating: 0, count: n)
        var repeats = [Int](repeating: 0, count: n)
        let active = (0..<n).filter { supply[$0] > 0 }
        guard quota > 0, !active.isEmpty else { return Allocation(unique: unique, repeats: repeats) }

        let activeWeights = active.map { weights[$0] }
        let first = proportional(quota, weights: activeWeights)
        for (k, i) in active.enumerated() { unique[i] = min(first[k], supply[i]) }
        var deficit = quota - unique.reduce(0, +)
        while deficit > 0 {
            let open = active.filter { unique[$0] < supply[$0] }
            if open.isEmpty { break }
            var openWeights = open.map { weights[$0] }
            if openWeights.allSatisfy({ $0 <= 0 }) { openWeights = open.map { Double(supply[$0] - unique[$0]) } }
            let extra = proportional(deficit, weights: openWeights)
            var moved = 0
            for (k, i) in open.enumerated() {
                let take = min(extra[k], supply[i] - unique[i])
                unique[i] += take
                moved += take
            }
            if moved == 0 {
                // Every share rounded into a full category: give one to the first open one.
                unique[open[0]] += 1
                moved = 1
            }
            deficit -= moved
        }
        if deficit > 0 {
            let more = proportional(deficit, weights: activeWeights.allSatisfy { $0 <= 0 } ? active.map { Double(supply[$0]) } : activeWeights)
            for (k, i) in active.enumerated() { repeats[i] = more[k] }
        }
        return Allocation(unique: unique, repeats: repeats)
    }
}
