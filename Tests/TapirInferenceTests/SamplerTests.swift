import TapirCore
import Testing
@testable import TapirInference

@Suite("Sampler")
struct SamplerTests {
    private func sample(_ sampler: inout Sampler, _ logits: [Float], history: [Int32] = []) -> Int32 {
        var copy = logits
        return copy.withUnsafeMutableBufferPointer { sampler.sample(logits: $0, history: history) }
    }

    private func randomLogits(count: Int, seed: UInt64) -> [Float] {
        var rng = Xoshiro256(seed: seed)
        return (0..<count).map { _ in rng.nextUnitFloat() * 10 - 5 }
    }

    @Test func greedyIsArgmax() {
        var sampler = Sampler(temperature: 0)
        for seed in 0..<20 as Range<UInt64> {
            let logits = randomLogits(count: 1000, seed: seed)
            let expected = Int32(logits.indices.max { logits[$0] < logits[$1] }!)
            #expect(sample(&sampler, logits) == expected)
        }
        // Ties go to the first index.
        #expect(sample(&sampler, [1, 3, 3, 2]) == 1)
    }

    @Test func sameSeedSameChoices() {
        let logits = randomLogits(count: 500, seed: 7)
        func run(seed: UInt64) -> [Int32] {
            var sampler = Sampler(temperature: 1.0, topK: 0, topP: 1, seed: seed)
            return (0..<100).map { _ in sample(&sampler, logits) }
        }
        #expect(run(seed: 42) == run(seed: 42))
        #expect(run(seed: 42) != run(seed: 43))
        // Sampling at temperature 1 over a flat-ish distribution visits many tokens.
        #expect(Set(run(seed: 42)).count > 20)
    }

    @Test func topKRestrictsSupport() {
        let logits = randomLogits(count: 300, seed: 3)
        let top5 = Set(logits.indices.sorted { logits[$0] > logits[$1] }.prefix(5).map { Int32($0) })
        var sampler = Sampler(temperature: 5.0, topK: 5, seed: 1)
        var seen = Set<Int32>()
        for _ in 0..<2000 { seen.insert(sample(&sampler, logits)) }
        #expect(seen.isSubset(of: top5))
        #expect(seen.count == 5)
    }

    @Test func topPRestrictsSupport() {
        // Probabilities ∝ exp(logit): token 0 has ~0.665, token 1 ~0.245, token 2 ~0.09, the rest ~0.
        let logits: [Float] = [3, 2, 1, -20, -20, -20]
        var sampler = Sampler(temperature: 1.0, topP: 0.8, seed: 9)
        var seen = Set<Int32>()
        for _ in 0..<3000 { seen.insert(sample(&sampler, logits)) }
        #expect(seen == [0, 1])
        var narrow = Sampler(temperature: 1.0, topP: 0.5, seed: 9)
        for _ in 0..<200 { #expect(sample(&narrow, logits) == 0) }
    }

    @Test func repetitionPenaltyLowersRepeatedTokens() {
        var logits: [Float] = [2.0, 1.9, -1.0, -1.1]
        var sampler = Sampler(temperature: 0, repetitionPenalty: 1.5)
        let choice = logits.withUnsafeMutableBufferPointer { sampler.sample(logits: $0, history: [0, 0, 2]) }
        #expect(choice == 1)
        #expect(logits[0] == Float(2.0) / Float(1.5))
        #expect(logits[2] == Float(-1.0) * Float(1.5))
        #expect(logits[1] == 1.9 && logits[3] == -1.1)
        // Only the last `repetitionWindow` tokens count.
        var windowed = Sampler(temperature: 0, repetitionPenalty: 1.5, repetitionWindow: 1)
        #expect(sample(&windowed, [2.0, 1.9], history: [0, 1]) == 0)
    }

    @Test func frequenciesFollowTemperatureSoftmax() {
        // Two tokens with logit gap ln(3): expect a 3:1 split.
        let logits: [Float] = [Float(1.0986123), 0]
        var sampler = Sampler(temperature: 1.0, seed: 123)
        var count0 = 0
        let n = 20000
        for _ in 0..<n where sample(&sampler, logits) == 0 { count0 += 1 }
        let share = Double(count0) / Double(n)
        #expect(abs(share - 0.75) < 0.02)
    }

    @Test func parametersInit() {
        let greedy = Sampler(SamplingParameters.greedy)
        #expect(greedy.temperature == 0)
        let custom = Sampler(SamplingParameters(temperature: 0.5, topP: 0.9, topK: 10, seed: 5, repetitionPenalty: 1.1))
        #expect(custom.temperature == 0.5 && custom.topK == 10 && custom.topP == 0.9 && custom.repetitionPenalty == 1.1)
        let defaults = Sampler(SamplingParameters())
        #expect(defaults.temperature == Sampler.defaultTemperature && defaults.topK == Sampler.defaultTopK)
    }
}
