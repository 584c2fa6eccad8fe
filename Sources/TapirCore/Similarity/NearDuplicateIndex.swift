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
/// The work happens in `TokenSimilarityIndex`; this type maps its positions to ids.
public struct NearDuplicateIndex<ID: Hashable & Sendable>: Sendable {
    private var core: TokenSimilarityIndex
    private var ids: [ID] = []

    /// Word n-gram size for the Jaccard measure.
    public var ngramSize: Int { core.ngramSize }
    /// Texts are compared on at most this many leading tokens (bounds the LCS cost).
    public var maxTokens: Int { core.maxTokens }

    /// An empty index.
    public init(ngramSize: Int = 3, maxTokens: Int = 256) {
        core = TokenSimilarityIndex(ngramSize: ngramSize, maxTokens: maxTokens)
    }

    /// Number of texts inserted.
    public var count: Int { ids.count }

    /// Adds `text` under `id`. Inserting the same id twice keeps both entries.
    public mutating func insert(id: ID, text: String) {
        core.insert(text)
        ids.append(id)
    }

    /// The id of the first inserted text whose normalised form equals that of `text`.
    public func exactMatch(for text: String) -> ID? {
        core.exactMatch(for: text).map { ids[$0] }
    }

    /// Up to `limit` texts with ROUGE-L ≥ `minimumRougeL` or n-gram Jaccard ≥ `minimumJaccard`,
    /// most similar first (ties: earliest inserted first). Exact matches come first with
    /// similarity 1. Thresholds below 0.05 are raised to 0.05 (sharing one word is not similarity).
    public func nearest(
        to text: String, limit: Int, minimumRougeL: Double = 0.3, minimumJaccard: Double = 0.3
    ) -> [NearDuplicateMatch<ID>] {
        guard limit > 0 else { return [] }
        return core.nearest(to: text, limit: limit, rougeFloor: min(1, max(0.05, minimumRougeL)),
                            jaccardFloor: min(1, max(0.05, minimumJaccard))).map { found in
            NearDuplicateMatch(id: ids[found.position], rougeL: found.rougeL, ngramJaccard: found.ngramJaccard, isExact: found.isExact)
        }
    }
}
