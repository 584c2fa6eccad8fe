import Testing
@testable import TapirCore

@Suite struct HardSelectorTests {
    private let items: [DifficultyItem<Int>] = [
        DifficultyItem(id: 1, category: "Math", value: 3.0),
        DifficultyItem(id: 2, category: "Math", value: 1.0),
        DifficultyItem(id: 3, category: "Code Debug", value: 1.5),
        DifficultyItem(id: 4, category: "Writing", value: -2.0),
        DifficultyItem(id: 5, category: "Writing", value: 0.5),
        DifficultyItem(id: 6, category: "Math", value: 3.0),
    ]

    @Test func hardIsStrictlyAboveDelta() {
        let selection = HardSelector(kind: .judge).select(items)
        #expect(selection.hard.map(\.id) == [1, 6, 3])
        #expect(selection.easy.map(\.id) == [2, 5, 4])
        #expect(selection.countsByCategory["Math"]! == (2, 3))
        #expect(selection.countsByCategory["Writing"]! == (0, 2))
        #expect(selection.hardShare == 0.5)
        #expect(HardSelector(kind: .ifd, threshold: 3.0).select(items).hard.isEmpty)
        #expect(HardSelector(kind: .nll).threshold == 1.5)
    }

    @Test func distributionAnswersWhatIfDelta() {
        let distribution = DifficultyDistribution(values: items.map { ($0.category, $0.value) } + [("Math", .nan)])
        #expect(distribution.count == 6)
        #expect(distribution.hardCount(above: 1.0) == 3)
        #expect(distribution.hardCount(above: 0.9) == 4)
        #expect(distribution.hardCount(above: -5) == 6)
        #expect(distribution.hardCount(above: 3.0) == 0)
        #expect(distribution.hardCount(above: 1.0, category: "Math") == 2)
        #expect(distribution.hardCount(above: 1.0, category: "Law") == 0)
        #expect(distribution.hardCountsByCategory(above: 0) == ["Math": 3, "Code Debug": 1, "Writing": 1])
        #expect(distribution.quantile(0) == -2.0 && distribution.quantile(1) == 3.0)
        #expect(distribution.histogram(bins: 5, lower: -2, upper: 3) == [1, 0, 1, 2, 2])
    }

    /// The binary-search count must agree with a linear scan for any threshold.
    @Test func countsAgreeWithSelector() {
        var rng = SplitMix64(seed: 5)
        let random = (0..<500).map { i in
            DifficultyItem(id: i, category: ["A", "B", "C"][rng.next(below: 3)], value: Double(rng.next(below: 40)) / 4 - 5)
        }
        let distribution = DifficultyDistribution(values: random.map { ($0.category, $0.value) })
        for step in 0..<50 {
            let delta = Double(step) / 4 - 6
            let selection = HardSelector(kind: .judge, threshold: delta).select(random)
            #expect(distribution.hardCount(above: delta) == selection.hard.count)
            #expect(distribution.hardCount(above: delta, category: "B") == selection.countsByCategory["B"]?.hard ?? 0)
        }
    }
}
