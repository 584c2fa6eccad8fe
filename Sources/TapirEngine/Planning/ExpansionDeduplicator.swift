import TapirCore
import TapirStore

/// What the expand stage de-duplicates new instructions against, read from the store: the
/// checks themselves are `ExpandDeduplicationGate`'s.
public enum ExpansionDeduplicator {
    /// An index over every instruction that is not rejected (rejected ones are kept out so
    /// they neither block nor are re-proposed through here — the gate checks them apart —
    /// and the store's hash check still refuses their exact text), by instruction id.
    public static func workspaceIndex(reader: StoreReader, ngramSize: Int = 3) throws -> NearDuplicateIndex<Int64> {
        var index = NearDuplicateIndex<Int64>(ngramSize: ngramSize)
        for row in try reader.instructionTexts() {
            index.insert(id: row.id, text: comparableText(row.text, row.input))
        }
        return index
    }

    /// The text compared for an instruction: its text, plus its input when there is one.
    public static func comparableText(_ text: String, _ input: String) -> String {
        input.isEmpty ? text : text + "\n" + input
    }
}
