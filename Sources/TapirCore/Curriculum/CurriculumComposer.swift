/// Builds a round's training set: about α·N hard and (1 − α)·N easy samples, resampled
/// toward the taxonomy's target category shares.
///
/// - Shares of categories with no items in either pool are redistributed over the others.
/// - Hard samples are allotted to categories by target share, capped by hard supply; the
///   easy allotment then aims at what each category still lacks, so categories short of hard
///   items are made up with easy ones.
/// - Within a category, expansions are taken first, then other items (each group in seeded
///   random order). Categories over their target are downsampled; a category's deficit
///   flows to categories with supply left; repeats (marked) happen only when a whole pool is
///   exhausted. An empty pool gives its quota to the other pool.
/// - Same inputs and seed, same output.
public struct CurriculumComposer: Sendable {
    public var taxonomy: TaskTaxonomy
    public var seed: UInt64

    public init(taxonomy: TaskTaxonomy, seed: UInt64) {
        self.taxonomy = taxonomy
        self.seed = seed
    }

    /// Composes `size` samples with hard share `alpha` from the two pools.
    public func compose<ID>(
        hard: [CurriculumItem<ID>], easy: [CurriculumItem<ID>], alpha: Double, size: Int
    ) -> CurriculumMix<ID> {
        var rng = SplitMix64(seed: seed)
        let size = max(0, size)
        let alpha = alpha.isFinite ? min(1, max(0, alpha)) : 0.5

        // Category order: taxonomy order, then unknown categories by name.
        var names = taxonomy.names
        let known = Set(names)
        names += Set((hard + easy).map(\.category)).subtracting(known).sorted()
        let position = Dictionary(uniqueKeysWithValues: names.enumerated().map { ($1, $0) })

        var hardByCategory = [[CurriculumItem<ID>]](repeating: [], count: names.count)
        var easyByCategory = [[CurriculumItem<ID>]](repeating: [], count: names.count)
        for item in hard { hardByCategory[position[item.category]!].append(item) }
        for item in easy { easyByCategory[position[item.category]!].append(item) }

        // Target shares, renormalised over categories that have any item.
        let raw = names.map { max(0, taxonomy.targetShare(of: $0)) }
        let present = names.indices.map { !hardByCategory[$0].isEmpty || !easyByCategory[$0].isEmpty }
        let presentTotal = names.indices.filter { present[$0] }.reduce(0.0) { $0 + raw[$1] }
        let share = names.indices.map { i -> Double in
            guard present[i] else { return 0 }
            return presentTotal > 0 ? raw[i] / presentTotal : 1 / Double(present.filter { $0 }.count)
        }

        var hardQuota = Int((alpha * Double(size)).rounded())
        if hard.isEmpty { hardQuota = 0 }
        if easy.isEmpty && !hard.isEmpty { hardQuota = size }
        let easyQuota = (hard.isEmpty && easy.isEmpty) ? 0 : size - hardQuota

        let hardAllocation = ShareAllocator.allocate(
            hardQuota, weights: share, supply: hardByCategory.map(\.count))
        let stillWanted = names.indices.map { i in
            max(0, share[i] * Double(size) - Double(hardAllocation.unique[i] + hardAllocation.repeats[i]))
        }
        let easyAllocation = ShareAllocator.allocate(
            easyQuota, weights: stillWanted, supply: easyByCategory.map(\.count))

        var samples: [ComposedSample<ID>] = []
        samples.reserveCapacity(size)
        for i in names.indices {
            for (pool, allocation, isHard) in [
                (hardByCategory[i], hardAllocation, true), (easyByCategory[i], easyAllocation, false),
            ] {
                let ordered = rng.shuffled(pool.filter(\.isExpansion)) + rng.shuffled(pool.filter { !$0.isExpansion })
                for item in ordered.prefix(allocation.unique[i]) {
                    samples.append(ComposedSample(item: item, isHard: isHard, isRepeat: false))
                }
                for k in 0..<allocation.repeats[i] {
                    samples.append(ComposedSample(item: ordered[k % ordered.count], isHard: isHard, isRepeat: true))
                }
            }
        }
        rng.shuffle(&samples)

        // Per-category counts of the picked samples, in one pass.
        var count = [Int](repeating: 0, count: names.count), hardPicked = count, expansions = count, repeats = count
        for sample in samples {
            let i = position[sample.item.category]!
            count[i] += 1
            if sample.isHard { hardPicked[i] += 1 }
            if sample.item.isExpansion { expansions[i] += 1 }
            if sample.isRepeat { repeats[i] += 1 }
        }
        let categories = names.indices.compactMap { i -> CategoryMix? in
            let available = hardByCategory[i].count + easyByCategory[i].count
            guard known.contains(names[i]) || available > 0 else { return nil }
            return CategoryMix(
                category: names[i], targetShare: share[i], count: count[i],
                hard: hardPicked[i], easy: count[i] - hardPicked[i],
                expansions: expansions[i], repeats: repeats[i], available: available)
        }
        return CurriculumMix(samples: samples, targetAlpha: alpha, requestedSize: size, categories: categories)
    }
}
