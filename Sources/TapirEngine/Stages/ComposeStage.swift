import Foundation
import TapirCore
import TapirStore

/// The *compose* stage: builds the round's training set from its selection — hard share
/// α_r, easy share 1 − α_r at `curriculum.training_set_size`, resampled toward the target
/// task distribution (`CompositionPlanner`) — over each instruction's best response
/// (refined, else teacher), stores it (`replaceComposition`) and writes every export format
/// plus `dataset_info.json` to `exports/round-N/` (cleared first: the folder holds only the
/// round's latest export). The files are written from the composition in memory while it is
/// stored — the same examples `tapir export --round N` reads back — and the stage completes
/// only when both are done; an interrupted stage runs again whole.
///
/// Round metrics written: `alpha_achieved`, `alpha_target`, `composition_size`,
/// `composition_hard`, `composition_repeats`, `composition_max_share_error` and one
/// `share:<Category>` per category present (its share of the set).
public struct ComposeStage: StageRunner {
    public let stage = Stage.compose
    /// Base seed; each round mixes its number in.
    public var seed: UInt64

    public init(seed: UInt64 = 0x7a91) {
        self.seed = seed
    }

    public func run(round: Int, context: EngineContext) async throws -> StageOutcome {
        let planner = CompositionPlanner(
            taxonomy: context.config.taxonomy, alphaSchedule: AlphaSchedule(context.config.curriculum.alpha),
            size: context.config.curriculum.trainingSetSize, seed: seed)
        let (selection, instructions, responseIDs) = try await context.store.read { reader in
            let selection = try reader.selection(round: round)
            let ids = selection.map(\.instructionID)
            var instructions: [Int64: InstructionRecord] = [:]
            for record in try reader.instructions(ids: ids) {
                if let id = record.id { instructions[id] = record }
            }
            let best = try reader.bestResponseIDs(upToRound: round)
            var responseIDs: [Int64: Int64] = [:]
            for id in ids { responseIDs[id] = best[id] }
            return (selection, instructions, responseIDs)
        }
        guard !selection.isEmpty else { return .waiting(reason: "round \(round) has no selection yet (run select first)") }
        let (records, mix) = planner.compose(
            round: round, selection: selection, instructions: instructions, responseIDs: responseIDs)
        guard !records.isEmpty else {
            return .waiting(reason: "no selected instruction of round \(round) has a teacher response to train on")
        }
        var metrics: [String: Double] = [
            "alpha_achieved": mix.achievedAlpha, "alpha_target": mix.targetAlpha,
            "composition_size": Double(records.count), "composition_hard": Double(mix.hardCount),
            "composition_repeats": Double(mix.repeatCount), "composition_max_share_error": mix.maxShareError,
        ]
        for category in mix.categories where category.count > 0 {
            metrics["share:\(category.category)"] = Double(category.count) / Double(records.count)
        }
        let finalMetrics = metrics
        let store = context.store
        let folder = context.workspace.exportURL(round: round)
        // Stored and exported at the same time: the export reads only response texts.
        async let stored: Void = store.write { writer in
            try writer.replaceComposition(round: round, records)
            try writer.updateRoundMetrics(round: round, finalMetrics)
        }
        let texts = try await store.read { try $0.responseTexts(ids: records.map(\.responseID)) }
        let examples = records.compactMap { record -> TrainingExample? in
            guard let instruction = instructions[record.instructionID], let output = texts[record.responseID] else { return nil }
            return TrainingExample(instruction: instruction.text, input: instruction.input, output: output,
                                   category: instruction.category, hard: record.hard, instructionID: record.instructionID)
        }
        let result = try await Task.detached {
            // The folder holds only this export: clear what an interrupted export left (a
            // killed atomic write leaves its temporary file behind), then write it anew.
            if FileManager.default.fileExists(atPath: folder.path) { try FileManager.default.removeItem(at: folder) }
            return try TrainingSetExporter.write(examples, round: round, to: folder)
        }.value
        try await stored
        try await context.store.write { writer in
            try writer.updateProgress(round: round, stage: .compose, done: records.count, total: records.count)
            _ = try writer.log(.info, source: "compose",
                               "round \(round): \(records.count) examples, α \(String(format: "%.2f", mix.achievedAlpha)) "
                                   + "(target \(String(format: "%.2f", mix.targetAlpha))), exported to \(result.manifest.directory.path)",
                               round: round, stage: .compose)
        }
        return .completed(summary: "\(records.count) examples, α \(String(format: "%.2f", mix.achievedAlpha)), exported")
    }
}
