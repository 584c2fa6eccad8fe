import TapirCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Chooses the next token from a row of logits: repetition penalty, then greedy (temperature 0)
/// or temperature sampling restricted by top-k and top-p, drawn from a seeded generator, so
/// the same seed gives the same choices.
public struct Sampler: Sendable {
    /// 0 (or less) means greedy: the arg-max token, first one on ties.
    public var temperature: Float
    /// Keep only the `topK` most likely tokens; 0 keeps all.
    public var topK: Int
    /// Keep the smallest set of most likely tokens whose probability reaches `topP`; 1 keeps all.
    public var topP: Float
    /// > 1 makes tokens seen in the last `repetitionWindow` history tokens less likely
    /// (positive logits divided by it, negative ones multiplied, as in llama.cpp); 1 is off.
    public var repetitionPenalty: Float
    public var repetitionWindow: Int
    private var generator: Xoshiro256
    private var candidates: [Candidate] = []

    private struct Candidate {
        var id: Int32
        var logit: Float
    }

    /// Defaults for parameters a request leaves unset (llama.cpp's sampling defaults).
    public static let defaultTemperature: Float = 0.8
    public static let defaultTopK = 40
    public static let defaultTopP: Float = 0.95

    public init(
        temperature: Float = 0, topK: Int = 0, topP: Float = 1, repetitionPenalty: Float = 1,
        repetitionWindow: Int = 64, seed: UInt64 = 0
    ) {
        self.temperature = temperature
        self.topK = max(0, topK)
        self.topP = topP
        self.repetitionPenalty = repetitionPenalty
        self.repetitionWindow = max(0, repetitionWindow)
        self.generator = Xoshiro256(seed: seed)
    }

    /// A sampler for request parameters; unset values take the defaults above, an unset seed is 0.
    public init(_ parameters: SamplingParameters) {
        self.init(
            temperature: Float(parameters.temperature ?? Double(Self.defaultTemperature)),
            topK: parameters.topK ?? Self.defaultTopK,
            topP: Float(parameters.topP ?? Double(Self.defaultTopP)),
            repetitionPenalty: Float(parameters.repetitionPenalty ?? 1),
            seed: parameters.seed ?? 0)
    }

    /// The next token. `logits` is modified in place by the repetition penalty.
    public mutating func sample(logits: UnsafeMutableBufferPointer<Float>, history: [Int32]) -> Int32 {
        precondition(!logits.isEmpty, "Sampler.sample needs at least one logit")
        applyRepetitionPenalty(logits, history)
        if temperature <= 0 { return Self.argmax(logits) }

        // Candidates, most likely first, cut to top-k.
        let n = logits.count
        let k = topK > 0 ? min(topK, n) : n
        candidates.removeAll(keepingCapacity: true)
        if k < n {
            selectTopK(logits, k)
        } else {
            candidates.reserveCapacity(n)
            for i in 0..<n { candidates.append(Candidate(id: Int32(i), logit: logits[i])) }
        }
        candidates.sort { $0.logit > $1.logit || ($0.logit == $1.logit && $0.id < $1.id) }

        // Softmax with temperature, then the top-p cut.
        let maxLogit = candidates[0].logit
        var total: Float = 0
        for i in candidates.indices {
            let p = Self.exp((candidates[i].logit - maxLogit) / temperature)
            candidates[i].logit = p
            total += p
        }
        var keep = candidates.count
        if topP < 1 {
            let target = topP * total
            var cumulative: Float = 0
            for i in candidates.indices {
                cumulative += candidates[i].logit
                if cumulative >= target { keep = i + 1; break }
            }
            total = cumulative < target ? total : cumulative
        }
        var r = generator.nextUnitFloat() * total
        for i in 0..<keep {
            r -= candidates[i].logit
            if r < 0 { return candidates[i].id }
        }
        return candidates[keep - 1].id
    }

    /// The index of the largest logit (first one on ties).
    public static func argmax(_ logits: UnsafeMutableBufferPointer<Float>) -> Int32 {
        var best = 0
        var bestValue = logits[0]
        for i in 1..<logits.count where logits[i] > bestValue {
            best = i
            bestValue = logits[i]
        }
        return Int32(best)
    }

    private func applyRepetitionPenalty(_ logits: UnsafeMutableBufferPointer<Float>, _ history: [Int32]) {
        guard repetitionPenalty != 1, repetitionWindow > 0, !history.isEmpty else { return }
        var seen = Set<Int32>()
        for id in history.suffix(repetitionWindow) where id >= 0 && Int(id) < logits.count && seen.insert(id).inserted {
            let value = logits[Int(id)]
            logits[Int(id)] = value > 0 ? value / repetitionPenalty : value * repetitionPenalty
        }
    }

    /// Fills `candidates` with the `k` largest logits (unordered) using a min-heap of size k.
    private mutating func selectTopK(_ logits: UnsafeMutableBufferPointer<Float>, _ k: Int) {
        candidates.reserveCapacity(k)
        func less(_ a: Candidate, _ b: Candidate) -> Bool { a.logit < b.logit || (a.logit == b.logit && a.id > b.id) }
        func siftDown(_ start: Int) {
            var parent = start
            while true {
                let left = 2 * parent + 1
                if left >= k { return }
                let right = left + 1
                let smaller = right < k && less(candidates[right], candidates[left]) ? right : left
                if less(candidates[smaller], candidates[parent]) {
                    candidates.swapAt(smaller, parent)
                    parent = smaller
                } else {
                    return
                }
            }
        }
        for i in 0..<k { candidates.append(Candidate(id: Int32(i), logit: logits[i])) }
        for i in stride(from: k / 2 - 1, through: 0, by: -1) { siftDown(i) }
        for i in k..<logits.count {
            let c = Candidate(id: Int32(i), logit: logits[i])
            if less(candidates[0], c) {
                candidates[0] = c
                siftDown(0)
            }
        }
    }

    @inline(__always)
    private static func exp(_ x: Float) -> Float { expf(x) }
}
