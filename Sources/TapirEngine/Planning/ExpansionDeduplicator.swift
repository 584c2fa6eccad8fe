import TapirCore
import TapirStore

/// Checks new instructions against everything in the workspace (and against each other):
/// the expand stage's de-duplication. Built once per stage from the store; every accepted
/// candidate joins the index, so two near-identical proposals in one batch cannot both pass.
public struct ExpansionDeduplicator: Sendable {
    public var policy: DedupPolicy
    public private(set) var index: NearDuplicateIndex<Int64>
    private var nextProvisionalID: Int64 = -1

    /// An index over every instruction that is not rejected (rejected ones are kept out so
    /// they neither block nor are re-proposed through here; the store's hash check still
    /// refuses their exact text).
    public init(policy: DedupPolicy, reader: StoreReader, ngramSize: Int = 3) throws {
        self.policy = policy
        index = NearDuplicateIndex(ngramSize: ngramSize)
        for row in try reader.instructionTexts() {
            index.insert(id: row.id, text: Self.comparableText(row.text, row.input))
        }
    }

    /// The text compared for an instruction: its text, plus its input when there is one.
    public static func comparableText(_ text: String, _ input: String) -> String {
        input.isEmpty ? text : text + "\n" + input
    }

    /// The verdict on a candidate; a unique one is added to the index under a provisional
    /// negative id (`matches` of later candidates may name it) and that id is returned.
    public mutating func check(_ text: String, input: String = "") -> (verdict: DedupVerdict<Int64>, provisionalID: Int64?) {
        let comparable = Self.comparableText(text, input)
        let verdict = policy.verdict(for: comparable, in: index)
        guard case .unique = verdict else { return (verdict, nil) }
        let id = nextProvisionalID
        nextProvisionalID -= 1
        index.insert(id: id, text: comparable)
        return (verdict, id)
    }

    /// The `limit` nearest existing instructions (for the review screen), above `minimum`.
    public func nearest(to text: String, input: String = "", limit: Int = 3, minimum: Double = 0.3) -> [NearDuplicateMatch<Int64>] {
        index.nearest(to: Self.comparableText(text, input), limit: limit, minimumRougeL: minimum, minimumJaccard: minimum)
    }
}
