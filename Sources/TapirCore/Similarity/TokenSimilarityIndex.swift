/// The id-free part of `NearDuplicateIndex`: interned token sequences, their n-gram sets and
/// an inverted index, addressed by insertion position. Not generic, so its hot loops are
/// compiled for concrete types once, whatever id type the wrapping index uses.
struct TokenSimilarityIndex: Sendable {
    let ngramSize: Int
    let maxTokens: Int

    private var vocabulary: [String: UInt32] = [:]
    private var documentFrequency: [Int32] = []
    private var postings: [[Int32]] = []
    private var tokens: [[UInt32]] = []
    /// `tokens` sorted: multiset overlap by merging, a cheap bound on the LCS.
    private var sortedTokens: [[UInt32]] = []
    private var grams: [[UInt64]] = []
    private var exact: [String: Int] = [:]

    init(ngramSize: Int, maxTokens: Int) {
        self.ngramSize = max(1, ngramSize)
        self.maxTokens = max(1, maxTokens)
    }

    var count: Int { tokens.count }

    /// Adds `text`; returns its position.
    @discardableResult
    mutating func insert(_ text: String) -> Int {
        let normalized = TextNormalizer.normalize(text)
        let position = tokens.count
        var ids: [UInt32] = []
        for word in WordTokenizer.tokens(normalized).prefix(maxTokens) {
            if let known = vocabulary[word] {
                ids.append(known)
            } else {
                let fresh = UInt32(vocabulary.count)
                vocabulary[word] = fresh
                postings.append([])
                documentFrequency.append(0)
                ids.append(fresh)
            }
        }
        var seen = Set<UInt32>()
        for token in ids where seen.insert(token).inserted {
            postings[Int(token)].append(Int32(position))
            documentFrequency[Int(token)] += 1
        }
        tokens.append(ids)
        sortedTokens.append(ids.sorted())
        grams.append(Self.gramSet(ids, n: ngramSize))
        let key = SHA256.hexDigest(of: normalized)
        if exact[key] == nil { exact[key] = position }
        return position
    }

    /// Position of the first text whose normalised form equals that of `text`.
    func exactMatch(for text: String) -> Int? {
        exact[TextNormalizer.normalizedHash(text)]
    }

    /// Up to `limit` texts (position, ROUGE-L, Jaccard, exact) reaching either floor, most
    /// similar first (ties: earliest inserted first); an exact match first with similarity 1.
    func nearest(to text: String, limit: Int, rougeFloor: Double, jaccardFloor: Double)
        -> [(position: Int, rougeL: Double, ngramJaccard: Double, isExact: Bool)] {
        let normalized = TextNormalizer.normalize(text)
        let exactPosition = exact[SHA256.hexDigest(of: normalized)]
        // Unknown words get ids past the vocabulary: they match nothing but stay distinct.
        var local: [String: UInt32] = [:]
        var query: [UInt32] = []
        for word in WordTokenizer.tokens(normalized).prefix(maxTokens) {
            if let known = vocabulary[word] {
                query.append(known)
            } else if let seen = local[word] {
                query.append(seen)
            } else {
                let fresh = UInt32(vocabulary.count + local.count)
                local[word] = fresh
                query.append(fresh)
            }
        }
        var matches: [(position: Int, rougeL: Double, ngramJaccard: Double, isExact: Bool)] = []
        if let exactPosition { matches.append((exactPosition, 1, 1, true)) }
        if !query.isEmpty {
            for (position, rouge, jaccard) in scoredCandidates(query, Self.gramSet(query, n: ngramSize), rougeFloor, jaccardFloor)
            where position != exactPosition {
                matches.append((position, rouge, jaccard, false))
            }
        }
        func similarity(_ match: (position: Int, rougeL: Double, ngramJaccard: Double, isExact: Bool)) -> Double {
            match.isExact ? 1 : max(match.rougeL, match.ngramJaccard)
        }
        matches.sort { lhs, rhs in
            let l = similarity(lhs), r = similarity(rhs)
            return l != r ? l > r : lhs.position < rhs.position
        }
        if matches.count > limit { matches.removeSubrange(limit...) }
        return matches
    }

    /// Every text reaching a floor, scored exactly. Only the posting lists of the query's
    /// rarest tokens are read: enough of them that any text reaching ROUGE-L θ (which shares at
    /// least θ·m/(2−θ) of the query's m token positions) or Jaccard t (at least t·|grams|)
    /// must contain one.
    private func scoredCandidates(
        _ query: [UInt32], _ queryGrams: [UInt64], _ rougeFloor: Double, _ jaccardFloor: Double
    ) -> [(Int, Double, Double)] {
        let m = query.count
        let rougeNeed = Int((rougeFloor * Double(m) / (2 - rougeFloor) - 1e-9).rounded(.up))
        let jaccardNeed = Int((jaccardFloor * Double(queryGrams.count) - 1e-9).rounded(.up))
        let neededPositions = max(1, min(rougeNeed, jaccardNeed))

        // Distinct known tokens with their counts, rarest first.
        var counts: [UInt32: Int] = [:]
        for token in query where Int(token) < postings.count { counts[token, default: 0] += 1 }
        let byRarity = counts.sorted { lhs, rhs in
            let l = documentFrequency[Int(lhs.key)], r = documentFrequency[Int(rhs.key)]
            return l != r ? l < r : lhs.key < rhs.key
        }
        var unprobed = byRarity.reduce(0) { $0 + $1.value }
        if unprobed < neededPositions { return [] }
        // Probe rarest tokens until an unprobed-only match is impossible, then keep probing
        // tokens on up to a third of the texts: reading a posting is far cheaper than scoring a
        // candidate, and each probed token tightens the count filter below.
        let cheapPostings = max(64, tokens.count / 3)
        var hits = [Int32](repeating: 0, count: tokens.count)
        var touched: [Int32] = []
        for (token, count) in byRarity {
            if unprobed < neededPositions && Int(documentFrequency[Int(token)]) > cheapPostings { break }
            for position in postings[Int(token)] {
                if hits[Int(position)] == 0 { touched.append(position) }
                hits[Int(position)] += Int32(count)
            }
            unprobed -= count
        }

        let sortedQuery = query.sorted()
        var results: [(Int, Double, Double)] = []
        for candidate in touched {
            // Query positions whose token the text contains: at most the probed hits plus
            // every unprobed position.
            guard Int(hits[Int(candidate)]) + unprobed >= neededPositions else { continue }
            let position = Int(candidate)
            let n = tokens[position].count
            let candidateGrams = grams[position].count
            let rougeBound = 2 * Double(min(m, n)) / Double(m + n)
            let jaccardBound = Double(min(queryGrams.count, candidateGrams)) / Double(max(queryGrams.count, candidateGrams))
            guard rougeBound >= rougeFloor || jaccardBound >= jaccardFloor else { continue }
            let jaccard = NGramJaccard.sortedSetSimilarity(queryGrams, grams[position])
            // LCS ≤ multiset overlap: skip the quadratic LCS when even the overlap is too small.
            let lcsNeeded = Int((rougeFloor * Double(m + n) / 2 - 1e-9).rounded(.up))
            let overlapAllows = rougeBound >= rougeFloor && Self.overlap(sortedQuery, sortedTokens[position]) >= lcsNeeded
            var rouge = overlapAllows ? RougeL.f1(query, tokens[position], atLeast: rougeFloor) : nil
            if rouge == nil {
                guard jaccard >= jaccardFloor else { continue }
                rouge = RougeL.f1(query, tokens[position], atLeast: 0)
            }
            results.append((position, rouge ?? 0, jaccard))
        }
        return results
    }

    /// Size of the multiset intersection of two sorted arrays (for duplicate-free arrays,
    /// the set intersection).
    static func overlap(_ x: [UInt32], _ y: [UInt32]) -> Int {
        x.withUnsafeBufferPointer { a in y.withUnsafeBufferPointer { b in mergeCount(a, b) } }
    }

    /// `overlap` for the hashed gram sets.
    static func overlap(_ x: [UInt64], _ y: [UInt64]) -> Int {
        x.withUnsafeBufferPointer { a in y.withUnsafeBufferPointer { b in mergeCount(a, b) } }
    }

    @inline(__always)
    private static func mergeCount<T: Comparable>(_ x: UnsafeBufferPointer<T>, _ y: UnsafeBufferPointer<T>) -> Int {
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
