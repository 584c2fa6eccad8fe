/// Finds the existing texts most similar to a candidate, fast enough to check thousands of
/// candidates against a workspace of a hundred thousand instructions.
///
/// Texts are normalised (`TextNormalizer`), tokenised, truncated to `maxTokens` and interned.
/// An inverted index maps each token to the texts containing it. A query only reads the
/// posting lists of the candidate's rarest tokens: enough of them that any text reaching the
/// requested ROUGE-L or n-gram Jaccard threshold must contain at least one (a text that
/// reaches ROUGE-L θ shares at least θ·m/(2−θ) of the candidate's m token positions, one that
/// reaches Jaccard t shares at least t·|grams| of them). Candidates from those lists are then
/// scored exactly, so the result is exact for the thresholds given, not an approximation.
public struct NearDuplicateIndex<ID: Hashable & Sendable>: Sendable {
    /// Word n-gram size for the Jaccard measure.
    public let ngramSize: Int
    /// Texts are compared on at most this many leading tokens (bounds the LCS cost).
    public let maxTokens: Int

    private struct Document: Sendable {
        var id: ID
        var tokens: [UInt32]
        /// `tokens` sorted: multiset overlap by merging, a cheap bound on the LCS.
        var sortedTokens: [UInt32]
        var grams: [UInt64]
    }

    private var vocabulary: [String: UInt32] = [:]
    private var documentFrequency: [Int32] = []
    private var postings: [[Int32]] = []
    private var documents: [Document] = []
    private var exact: [String: Int] = [:]

    /// An empty index.
    public init(ngramSize: Int = 3, maxTokens: Int = 256) {
        self.ngramSize = max(1, ngramSize)
        self.maxTokens = max(1, maxTokens)
    }

    /// Number of texts inserted.
    public var count: Int { documents.count }

    /// Adds `text` under `id`. Inserting the same id twice keeps both entries.
    public mutating func insert(id: ID, text: String) {
        let normalized = TextNormalizer.normalize(text)
        let docIndex = Int32(documents.count)
        var tokens: [UInt32] = []
        for word in WordTokenizer.tokens(normalized).prefix(maxTokens) {
            if let known = vocabulary[word] {
                tokens.append(known)
            } else {
                let fresh = UInt32(vocabulary.count)
                vocabulary[word] = fresh
                postings.append([])
                documentFrequency.append(0)
                tokens.append(fresh)
            }
        }
        var seen = Set<UInt32>()
        for token in tokens where seen.insert(token).inserted {
            postings[Int(token)].append(docIndex)
            documentFrequency[Int(token)] += 1
        }
        documents.append(
            Document(id: id, tokens: tokens, sortedTokens: tokens.sorted(), grams: Self.gramSet(tokens, n: ngramSize)))
        let key = SHA256.hexDigest(of: normalized)
        if exact[key] == nil { exact[key] = Int(docIndex) }
    }

    /// The id of the first inserted text whose normalised form equals that of `text`.
    public func exactMatch(for text: String) -> ID? {
        exact[TextNormalizer.normalizedHash(text)].map { documents[$0].id }
    }

    /// Up to `limit` texts with ROUGE-L ≥ `minimumRougeL` or n-gram Jaccard ≥ `minimumJaccard`,
    /// most similar first (ties: earliest inserted first). Exact matches come first with
    /// similarity 1. Thresholds below 0.05 are raised to 0.05 (sharing one word is not similarity).
    public func nearest(
        to text: String, limit: Int, minimumRougeL: Double = 0.3, minimumJaccard: Double = 0.3
    ) -> [NearDuplicateMatch<ID>] {
        guard limit > 0 else { return [] }
        let normalized = TextNormalizer.normalize(text)
        let exactIndex = exact[SHA256.hexDigest(of: normalized)]
        let rougeFloor = min(1, max(0.05, minimumRougeL))
        let jaccardFloor = min(1, max(0.05, minimumJaccard))

        // Unknown words get ids past the vocabulary: they match nothing but stay distinct.
        var local: [String: UInt32] = [:]
        var tokens: [UInt32] = []
        for word in WordTokenizer.tokens(normalized).prefix(maxTokens) {
            if let known = vocabulary[word] {
                tokens.append(known)
            } else if let seen = local[word] {
                tokens.append(seen)
            } else {
                let fresh = UInt32(vocabulary.count + local.count)
                local[word] = fresh
                tokens.append(fresh)
            }
        }
        var matches: [(match: NearDuplicateMatch<ID>, order: Int)] = []
        if let exactIndex {
            let document = documents[exactIndex]
            matches.append((NearDuplicateMatch(id: document.id, rougeL: 1, ngramJaccard: 1, isExact: true), exactIndex))
        }
        if !tokens.isEmpty {
            let grams = Self.gramSet(tokens, n: ngramSize)
            for (docIndex, rouge, jaccard) in scoredCandidates(tokens, grams, rougeFloor, jaccardFloor)
            where docIndex != exactIndex {
                let match = NearDuplicateMatch(id: documents[docIndex].id, rougeL: rouge, ngramJaccard: jaccard, isExact: false)
                matches.append((match, docIndex))
            }
        }
        matches.sort { lhs, rhs in
            lhs.match.similarity != rhs.match.similarity
                ? lhs.match.similarity > rhs.match.similarity : lhs.order < rhs.order
        }
        return matches.prefix(limit).map(\.match)
    }

    private func scoredCandidates(
        _ tokens: [UInt32], _ grams: [UInt64], _ rougeFloor: Double, _ jaccardFloor: Double
    ) -> [(Int, Double, Double)] {
        let m = tokens.count
        let rougeNeed = Int((rougeFloor * Double(m) / (2 - rougeFloor) - 1e-9).rounded(.up))
        let jaccardNeed = Int((jaccardFloor * Double(grams.count) - 1e-9).rounded(.up))
        let neededPositions = max(1, min(rougeNeed, jaccardNeed))

        // Distinct known tokens with their counts, rarest first.
        var counts: [UInt32: Int] = [:]
        for token in tokens where Int(token) < postings.count { counts[token, default: 0] += 1 }
        let byRarity = counts.sorted { lhs, rhs in
            let l = documentFrequency[Int(lhs.key)], r = documentFrequency[Int(rhs.key)]
            return l != r ? l < r : lhs.key < rhs.key
        }
        var unprobed = byRarity.reduce(0) { $0 + $1.value }
        if unprobed < neededPositions { return [] }
        // Probe rarest tokens until an unprobed-only match is impossible, then keep probing
        // tokens on up to a third of the texts: reading a posting is far cheaper than scoring a
        // candidate, and each probed token tightens the count filter below.
        let cheapPostings = max(64, documents.count / 3)
        var hits = [Int32](repeating: 0, count: documents.count)
        var touched: [Int32] = []
        for (token, count) in byRarity {
            if unprobed < neededPositions && Int(documentFrequency[Int(token)]) > cheapPostings { break }
            for docIndex in postings[Int(token)] {
                if hits[Int(docIndex)] == 0 { touched.append(docIndex) }
                hits[Int(docIndex)] += Int32(count)
            }
            unprobed -= count
        }

        let sortedTokens = tokens.sorted()
        var results: [(Int, Double, Double)] = []
        for candidate in touched {
            // Candidate positions whose token the text contains: at most the probed hits plus
            // every unprobed position.
            guard Int(hits[Int(candidate)]) + unprobed >= neededPositions else { continue }
            let document = documents[Int(candidate)]
            let n = document.tokens.count
            let rougeBound = 2 * Double(min(m, n)) / Double(m + n)
            let jaccardBound = Double(min(grams.count, document.grams.count)) / Double(max(grams.count, document.grams.count))
            guard rougeBound >= rougeFloor || jaccardBound >= jaccardFloor else { continue }
            let jaccard = NGramJaccard.sortedSetSimilarity(grams, document.grams)
            // LCS ≤ multiset overlap: skip the quadratic LCS when even the overlap is too small.
            let lcsNeeded = Int((rougeFloor * Double(m + n) / 2 - 1e-9).rounded(.up))
            let overlapAllows = rougeBound >= rougeFloor && Self.overlap(sortedTokens, document.sortedTokens) >= lcsNeeded
            var rouge = overlapAllows ? RougeL.f1(tokens, document.tokens, atLeast: rougeFloor) : nil
            if rouge == nil {
                guard jaccard >= jaccardFloor else { continue }
                rouge = RougeL.f1(tokens, document.tokens, atLeast: 0)
            }
            results.append((Int(candidate), rouge ?? 0, jaccard))
        }
        return results
    }

    /// Size of the multiset intersection of two sorted arrays (for duplicate-free arrays,
    /// the set intersection).
    static func overlap<T: Comparable>(_ x: [T], _ y: [T]) -> Int {
        var i = 0, j = 0, shared = 0
        while i < x.count && j < y.count {
            if x[i] == y[j] {
                shared += 1; i += 1; j += 1
            } else if x[i] < y[j] {
                i += 1
            } else {
                j += 1
            }
        }
        return shared
    }

    /// Sorted distinct hashes of the token n-grams (the whole sequence when shorter than n).
    static func gramSet(_ tokens: [UInt32], n: Int) -> [UInt64] {
        if tokens.isEmpty { return [] }
        let size = min(n, tokens.count)
        var hashes: [UInt64] = []
        hashes.reserveCapacity(tokens.count - size + 1)
        for start in 0...(tokens.count - size) {
            var h: UInt64 = 0xcbf2_9ce4_8422_2325 ^ UInt64(size)
            for token in tokens[start..<(start + size)] {
                h = mix(h ^ UInt64(token))
            }
            hashes.append(h)
        }
        hashes.sort()
        var unique: [UInt64] = []
        unique.reserveCapacity(hashes.count)
        for h in hashes where unique.last != h { unique.append(h) }
        return unique
    }

    /// SplitMix64 finaliser: a strong 64-bit mixer, so hashed n-grams practically never collide.
    @inline(__always) static func mix(_ value: UInt64) -> UInt64 {
        var z = value &+ 0x9e37_79b9_7f4a_7c15
        z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
        z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
        return z ^ (z >> 31)
    }
}
