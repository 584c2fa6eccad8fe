import Foundation
import TapirCore
import TapirStore

/// Splits the round's active train instructions into hard and easy by their stored difficulty
/// of the configured kind and threshold δ, replacing any earlier selection of the round.
///
/// δ is the dashboard's `delta_next` control when it holds a number (it then applies from
/// this round on), else `curriculum.delta`; the δ used is recorded in the round record.
public struct SelectStage: StageRunner {
    public var stage: Stage { .select }

    public init() {}

    /// The δ a round uses: a numeric `delta_next` control, else the configured one.
    public static func delta(store: WorkspaceStore, curriculum: CurriculumConfig) throws -> Double {
        if let text = try store.control(.deltaNext)?.trimmingCharacters(in: .whitespaces),
           let value = Double(text), value.isFinite {
            return value
        }
        return curriculum.delta
    }

    public func run(round: Int, context: EngineContext) async throws -> StageOutcome {
        let curriculum = context.config.curriculum
        let delta = try Self.delta(store: context.store, curriculum: curriculum)
        let planner = SelectionPlanner(kind: curriculum.difficulty, delta: delta)
        let summary = try await context.store.write { writer -> HardSelection<Int64> in
            let reader = writer.reader
            let categories = Dictionary(uniqueKeysWithValues: try reader.instructionCategories(.activeTrain).map {
                ($0.id, $0.category ?? TaskTaxonomy.fallbackCategory)
            })
            let difficulties = try reader.difficulties(round: round, kind: curriculum.difficulty)
                .filter { categories[$0.instructionID] != nil }
            let (records, summary) = planner.selection(round: round, difficulties: difficulties, categories: categories)
            try writer.replaceSelection(round: round, records)
            var roundRecord = try reader.round(round)
                ?? RoundRecord(number: round, alpha: curriculum.alpha(forRound: round), delta: delta)
            roundRecord.delta = delta
            try writer.saveRound(roundRecord)
            try writer.updateProgress(round: round, stage: .select, done: records.count, total: records.count)
            return summary
        }
        let hard = summary.hard.count, total = summary.hard.count + summary.easy.count
        return .completed(summary: "\(hard) of \(total) instruction(s) hard by \(curriculum.difficulty.rawValue) with δ=\(delta)")
    }
}
