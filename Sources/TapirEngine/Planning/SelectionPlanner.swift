import TapirCore
import TapirStore

/// Turns a round's stored difficulty values into its hard/easy selection records.
/// Pure: the select stage writes the result with `StoreWriter.replaceSelection`, so running
/// it again (for example after δ changed) simply replaces the selection.
public struct SelectionPlanner: Sendable {
    public var selector: HardSelector

    public init(kind: DifficultyKind, delta: Double) {
        selector = HardSelector(kind: kind, threshold: delta)
    }

    /// Selection records for `round` from `difficulties` (other kinds and rounds are ignored).
    /// `categories` labels instructions for the per-category counts; unlabeled ones count as
    /// `TaskTaxonomy.fallbackCategory`.
    public func selection(
        round: Int, difficulties: [DifficultyRecord], categories: [Int64: String] = [:]
    ) -> (records: [SelectionRecord], summary: HardSelection<Int64>) {
        let items = difficulties
            .filter { $0.round == round && $0.kind == selector.kind && $0.value.isFinite }
            .map { DifficultyItem(id: $0.instructionID, category: categories[$0.instructionID] ?? TaskTaxonomy.fallbackCategory, value: $0.value) }
        let summary = selector.select(items)
        let records = (summary.hard.map { ($0, true) } + summary.easy.map { ($0, false) })
            .map { SelectionRecord(instructionID: $0.0.id, round: round, hard: $0.1, value: $0.0.value, delta: selector.threshold) }
            .sorted { $0.instructionID < $1.instructionID }
        return (records, summary)
    }
}
