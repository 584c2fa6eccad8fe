/// ROUGE-L over word tokens (Lin, 2004), the similarity Self-Instruct-style pipelines use to
/// reject near-duplicate instructions.
public enum RougeL {
    /// Length of the longest common subsequence of `a` and `b`: O(|a|·|b|) time, O(min) memory.
    public static func lcsLength<T: Equatable>(_ a: [T], _ b: [T]) -> Int {
        lcsLength(a, b, atLeast: 0) ?? 0
    }

    /// The LCS length, or nil as soon as it is certain to stay below `minimum`.
    /// Passing 0 never exits early.
    public static func lcsLength<T: Equatable>(_ a: [T], _ b: [T], atLeast minimum: Int) -> Int? {
        // Rows run over the shorter sequence; the outer loop walks the longer one.
        let (outer, inner) = a.count >= b.count ? (a, b) : (b, a)
        if inner.isEmpty { return minimum <= 0 ? 0 : nil }
        if inner.count < minimum { return nil }
        var previous = [Int32](repeating: 0, count: inner.count + 1)
        var current = [Int32](repeating: 0, count: inner.count + 1)
        for (i, x) in outer.enumerated() {
            for j in 0..<inner.count {
                if inner[j] == x {
                    current[j + 1] = previous[j] + 1
                } else {
                    current[j + 1] = max(previous[j + 1], current[j])
                }
            }
            swap(&previous, &current)
            // Each remaining outer element adds at most one to the LCS.
            if minimum > 0, Int(previous[inner.count]) + (outer.count - i - 1) < minimum { return nil }
        }
        return Int(previous[inner.count])
    }

    /// ROUGE-L of `candidate` against `reference` (token sequences).
    public static func score<T: Equatable>(candidate: [T], reference: [T], beta: Double = 1) -> RougeLScore {
        guard !candidate.isEmpty, !reference.isEmpty else { return RougeLScore(precision: 0, recall: 0, fMeasure: 0) }
        let lcs = Double(lcsLength(candidate, reference))
        let precision = lcs / Double(candidate.count)
        let recall = lcs / Double(reference.count)
        let betaSquared = beta * beta
        let f = lcs == 0 ? 0 : (1 + betaSquared) * precision * recall / (recall + betaSquared * precision)
        return RougeLScore(precision: precision, recall: recall, fMeasure: f)
    }

    /// ROUGE-L F1 of two texts after `TextNormalizer` tokenisation.
    public static func fMeasure(_ candidate: String, _ reference: String) -> Double {
        score(candidate: TextNormalizer.tokens(candidate), reference: TextNormalizer.tokens(reference)).fMeasure
    }

    /// F1 = 2·LCS/(m+n), or nil when it is certain to be below `threshold` (cheap length
    /// bound first, then early exit inside the LCS). Token-id version used by the index.
    static func f1(_ a: [UInt32], _ b: [UInt32], atLeast threshold: Double) -> Double? {
        let total = a.count + b.count
        guard total > 0, !a.isEmpty, !b.isEmpty else { return threshold <= 0 ? 0 : nil }
        let needed = max(0, Int((threshold * Double(total) / 2 - 1e-9).rounded(.up)))
        guard let lcs = tokenLCS(a, b, atLeast: needed) else { return nil }
        return 2 * Double(lcs) / Double(total)
    }

    /// `lcsLength(_:_:atLeast:)` specialised to token ids over raw buffers (the index's hot loop).
    static func tokenLCS(_ a: [UInt32], _ b: [UInt32], atLeast minimum: Int) -> Int? {
        let (outer, inner) = a.count >= b.count ? (a, b) : (b, a)
        let width = inner.count
        if width < minimum { return nil }
        return outer.withUnsafeBufferPointer { outerBuffer in
            inner.withUnsafeBufferPointer { innerBuffer -> Int? in
                let rows = UnsafeMutablePointer<Int32>.allocate(capacity: 2 * (width + 1))
                defer { rows.deallocate() }
                rows.initialize(repeating: 0, count: 2 * (width + 1))
                var previous = rows
                var current = rows + (width + 1)
                let outerCount = outerBuffer.count
                for i in 0..<outerCount {
                    let x = outerBuffer[i]
                    for j in 0..<width {
                        if innerBuffer[j] == x {
                            current[j + 1] = previous[j] + 1
                        } else {
                            current[j + 1] = Swift.max(previous[j + 1], current[j])
                        }
                    }
                    swap(&previous, &current)
                    if minimum > 0, Int(previous[width]) + (outerCount - i - 1) < minimum { return nil }
                }
                return Int(previous[width])
            }
        }
    }
}
