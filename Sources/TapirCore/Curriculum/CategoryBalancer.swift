/// Decides how many new instructions to ask for per category in the expand stage, weighted
/// toward categories below their target share, and which hard seeds each request shows.
///
/// Only categories with hard seeds get requests. Each category's weight is its deficit
/// after the expansion, max(0, share·(current total + budget) − current count); when no
/// category with seeds is short, weights fall back to the target shares. Seed groups walk
/// through the category's seeds in seeded random order, so seeds are reused evenly.
public struct CategoryBalancer: Sendable {
    public var taxonomy: TaskTaxonomy
    public var seed: UInt64
    /// How many seeds one request shows (fewer when a category has fewer hard seeds).
    public var seedsPerRequest: ClosedRange<Int>

    public init(taxonomy: TaskTaxonomy, seed: UInt64, seedsPerRequest: ClosedRange<Int> = 2...3) {
        self.taxonomy = taxonomy
        self.seed = seed
        self.seedsPerRequest = max(1, seedsPerRequest.lowerBound)...max(1, seedsPerRequest.upperBound)
    }

    /// How many requests each category gets out of `budget`.
    /// - Parameters:
    ///   - seedCounts: hard seeds available per category.
    ///   - currentCounts: instructions per category already in the workspace (train split).
    public func allocation(budget: Int, seedCounts: [String: Int], currentCounts: [String: Int]) -> [String: Int] {
        let names = taxonomy.names.filter { (seedCounts[$0] ?? 0) > 0 }
            + seedCounts.keys.filter { taxonomy.category(matching: $0) == nil && seedCounts[$0]! > 0 }.sorted()
        guard budget > 0, !names.isEmpty else { return [:] }
        let total = Double(currentCounts.values.reduce(0, +) + budget)
        var weights = names.map { max(0, taxonomy.targetShare(of: $0) * total - Double(currentCounts[$0] ?? 0)) }
        if weights.allSatisfy({ $0 <= 0 }) { weights = names.map { taxonomy.targetShare(of: $0) } }
        let counts = ShareAllocator.proportional(budget, weights: weights)
        var result: [String: Int] = [:]
        for (name, count) in zip(names, counts) where count > 0 { result[name] = count }
        return result
    }

    /// The requests for `budget` new instructions from `hardSeeds`.
    public func plan<ID>(
        budget: Int, hardSeeds: [CurriculumItem<ID>], currentCounts: [String: Int]
    ) -> [ExpansionRequest<ID>] {
        var byCategory: [String: [ID]] = [:]
        var seen: [String: Set<ID>] = [:]
        for seed in hardSeeds where seen[seed.category, default: []].insert(seed.id).inserted {
            byCategory[seed.category, default: []].append(seed.id)
        }
        let counts = allocation(budget: budget, seedCounts: byCategory.mapValues(\.count), currentCounts: currentCounts)
        var rng = SplitMix64(seed: seed)
        var requests: [ExpansionRequest<ID>] = []
        let order = taxonomy.names + counts.keys.filter { taxonomy.category(matching: $0) == nil }.sorted()
        for category in order {
            guard let wanted = counts[category], let seeds = byCategory[category] else { continue }
            var deck = rng.shuffled(seeds)
            var next = 0
            for _ in 0..<wanted {
                let span = seedsPerRequest.upperBound - seedsPerRequest.lowerBound + 1
                let size = min(seeds.count, seedsPerRequest.lowerBound + rng.next(below: span))
                var group: [ID] = []
                while group.count < size {
                    if next == deck.count {
                        deck = rng.shuffled(seeds)
                        next = 0
                    }
                    let candidate = deck[next]
                    next += 1
                    if !group.contains(candidate) { group.append(candidate) }
                }
                requests.append(ExpansionRequest(category: category, seedIDs: group))
            }
        }
        return requests
    }
}
