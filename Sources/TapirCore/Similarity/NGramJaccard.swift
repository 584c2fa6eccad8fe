/// Jaccard similarity of word n-gram sets: |A ∩ B| / |A ∪ B|.
///
/// A sequence shorter than `n` tokens contributes one gram (the whole sequence), so short
/// texts are compared as wholes. Two empty sequences are identical (1); one empty is 0.
public enum NGramJaccard {
    /// Similarity of two token sequences over their `n`-gram sets.
    public static func similarity<T: Hashable>(_ a: [T], _ b: [T], n: Int) -> Double {
        let x = grams(a, n: n)
        let y = grams(b, n: n)
        if x.isEmpty && y.isEmpty { return 1 }
        let shared = x.intersection(y).count
        return Double(shared) / Double(x.count + y.count - shared)
    }

    /// Similarity of two texts after `TextNormalizer` tokenisation.
    public static func similarity(_ a: String, _ b: String, n: Int) -> Double {
        similarity(TextNormalizer.tokens(a), TextNormalizer.tokens(b), n: n)
    }

    static func grams<T: Hashable>(_ tokens: [T], n: Int) -> Set<ArraySlice<T>> {
        let size = max(1, n)
        if tokens.isEmpty { return [] }
        if tokens.count < size { return [tokens[...]] }
        var set = Set<ArraySlice<T>>()
        for start in 0...(tokens.count - size) { set.insert(tokens[start..<(start + size)]) }
        return set
    }

    /// Jaccard of two sorted, duplicate-free arrays (the index's hashed gram sets).
    static func sortedSetSimilarity(_ x: [UInt64], _ y: [UInt64]) -> Double {
        if x.isEmpty && y.isEmpty { return 1 }
        let shared = TokenSimilarityIndex.overlap(x, y)
        return Double(shared) / Double(x.count + y.count - shared)
    }
}
