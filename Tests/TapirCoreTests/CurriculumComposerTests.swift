import Testing
@testable import TapirCore

@Suite struct CurriculumComposerTests {
    private let taxonomy = TaskTaxonomy.tapirDefault

    /// `perCategory` items of every taxonomy category, `expansionEvery`-th one an expansion.
    private func pool(_ prefix: String, perCategory: Int, expansionEvery: Int = 4) -> [CurriculumItem<String>] {
        taxonomy.names.flatMap { name in
            (0..<perCategory).map { k in
                CurriculumItem(id: "\(prefix)-\(name)-\(k)", category: name, isExpansion: k % expansionEvery == 0)
            }
        }
    }

    @Test func alphaSchedule() {
        let schedule = AlphaSchedule([0.3, 0.5, 1.4])
        #expect(schedule.alpha(forRound: 1) == 0.3)
        #expect(schedule.alpha(forRound: 2) == 0.5)
        #expect(schedule.alpha(forRound: 3) == 1)  // clamped
        #expect(schedule.alpha(forRound: 7) == 1)  // extends the last value
        #expect(AlphaSchedule([-0.2]).alpha(forRound: 1) == 0)
        #expect(AlphaSchedule([]).alpha(forRound: 2) == 0.5)
        #expect(AlphaSchedule().values == [0.3, 0.5, 0.7])
    }

    /// Ample supply: exact size and α, shares within rounding of the target, no repeats.
    @Test(arguments: [(0.3, 1000), (0.5, 777), (0.7, 2000), (0.0, 300), (1.0, 300)])
    func ampleSupplyHitsEveryTarget(alpha: Double, size: Int) {
        let composer = CurriculumComposer(taxonomy: taxonomy, seed: 9)
        let mix = composer.compose(hard: pool("h", perCategory: 400), easy: pool("e", perCategory: 400), alpha: alpha, size: size)
        #expect(mix.samples.count == size)
        #expect(mix.hardCount == Int((alpha * Double(size)).rounded()))
        #expect(mix.repeatCount == 0)
        #expect(Set(mix.samples.map(\.item.id)).count == size)
        #expect(mix.maxShareError <= 2.0 / Double(size))
        for row in mix.categories { #expect(abs(row.targetShare - taxonomy.targetShare(of: row.category) / taxonomy.totalShare) < 1e-12) }
    }

    /// Random pools: size is always exact, repeats only when a pool is exhausted, α as
    /// close as supply allows, and no id repeats before every item of its pool is used.
    @Test func randomPoolsProperties() {
        var rng = SplitMix64(seed: 77)
        let names = taxonomy.names
        for trial in 0..<60 {
            func randomPool(_ prefix: String) -> [CurriculumItem<Int>] {
                let count = rng.next(below: 300)
                return (0..<count).map { k in
                    CurriculumItem(id: k * 2 + (prefix == "h" ? 0 : 1), category: names[rng.next(below: 1 + rng.next(below: names.count))],
                                   isExpansion: rng.next(below: 3) == 0)
                }
            }
            let hard = randomPool("h"), easy = randomPool("e")
            let alpha = Double(rng.next(below: 11)) / 10
            let size = rng.next(below: 500)
            let mix = CurriculumComposer(taxonomy: taxonomy, seed: UInt64(trial)).compose(hard: hard, easy: easy, alpha: alpha, size: size)
            if hard.isEmpty && easy.isEmpty {
                #expect(mix.samples.isEmpty)
                continue
            }
            #expect(mix.samples.count == size)
            let hardQuota = Int((alpha * Double(size)).rounded())
            if !hard.isEmpty && !easy.isEmpty { #expect(mix.hardCount == hardQuota) }
            let hardUnique = Set(mix.samples.filter(\.isHard).map(\.item.id))
            let easyUnique = Set(mix.samples.filter { !$0.isHard }.map(\.item.id))
            let hardRepeats = mix.samples.filter { $0.isHard && $0.isRepeat }.count
            let easyRepeats = mix.samples.filter { !$0.isHard && $0.isRepeat }.count
            // Repeats only once the pool's every item is in.
            if hardRepeats > 0 { #expect(hardUnique.count == hard.count) }
            if easyRepeats > 0 { #expect(easyUnique.count == easy.count) }
            #expect(hardUnique.count + hardRepeats == mix.hardCount)
            #expect(easyUnique.count + easyRepeats == mix.samples.count - mix.hardCount)
            #expect(mix.categories.reduce(0) { $0 + $1.count } == size)
        }
    }

    @Test func redistributesAbsentCategoriesAndPrefersExpansions() throws {
        // Only Math (target .167) and Writing (.017): shares become .907 / .093.
        var hard: [CurriculumItem<String>] = []
        var easy: [CurriculumItem<String>] = []
        for k in 0..<200 {
            hard.append(CurriculumItem(id: "hm\(k)", category: "Math", isExpansion: k < 50))
            easy.append(CurriculumItem(id: "em\(k)", category: "Math"))
            hard.append(CurriculumItem(id: "hw\(k)", category: "Writing"))
            easy.append(CurriculumItem(id: "ew\(k)", category: "Writing"))
        }
        let mix = CurriculumComposer(taxonomy: taxonomy, seed: 1).compose(hard: hard, easy: easy, alpha: 0.3, size: 100)
        let math = try #require(mix.categories.first { $0.category == "Math" })
        #expect(abs(math.targetShare - 0.167 / 0.184) < 1e-9)
        #expect(math.count == 91)
        #expect(math.hard == 27)
        // 27 hard Math picks from a pool with 50 expansions: all expansions.
        #expect(math.expansions == 27)
        #expect(mix.categories.first { $0.category == "Law" }?.targetShare == 0)
    }

    @Test func fillsShortCategoriesThenRepeatsAsLastResort() throws {
        let hard = [CurriculumItem(id: 1, category: "Math"), CurriculumItem(id: 2, category: "Math", isExpansion: true)]
        let easy = (10..<20).map { CurriculumItem(id: $0, category: "Code Debug") }
        let mix = CurriculumComposer(taxonomy: taxonomy, seed: 3).compose(hard: hard, easy: easy, alpha: 0.5, size: 20)
        #expect(mix.samples.count == 20)
        #expect(mix.hardCount == 10)
        #expect(mix.samples.filter { $0.isHard && $0.isRepeat }.count == 8)
        #expect(mix.samples.filter { !$0.isHard && $0.isRepeat }.count == 0)
        // Empty hard pool: everything comes from the easy pool.
        let easyOnly = CurriculumComposer(taxonomy: taxonomy, seed: 3).compose(hard: [CurriculumItem<Int>](), easy: easy, alpha: 0.7, size: 10)
        #expect(easyOnly.hardCount == 0 && easyOnly.samples.count == 10 && easyOnly.repeatCount == 0)
        #expect(easyOnly.achievedAlpha == 0)
    }

    @Test func deterministicForASeed() {
        let composer = CurriculumComposer(taxonomy: taxonomy, seed: 42)
        let a = composer.compose(hard: pool("h", perCategory: 30), easy: pool("e", perCategory: 30), alpha: 0.5, size: 200)
        let b = composer.compose(hard: pool("h", perCategory: 30), easy: pool("e", perCategory: 30), alpha: 0.5, size: 200)
        let c = CurriculumComposer(taxonomy: taxonomy, seed: 43)
            .compose(hard: pool("h", perCategory: 30), easy: pool("e", perCategory: 30), alpha: 0.5, size: 200)
        #expect(a.samples == b.samples)
        #expect(a.samples != c.samples)
    }
}
