import TapirCore
import TapirStore

/// Turns a round's selection into its composed training set (pure; the compose stage stores
/// the result with `StoreWriter.replaceComposition`, so re-running it replaces, never adds).
public struct CompositionPlanner: Sendable {
    public var taxonomy: TaskTaxonomy
    public var alphaSchedule: AlphaSchedule
    /// Examples per round; nil means as many as there are selected instructions with a response.
    public var size: Int?
    /// Base seed; each round mixes its number in, so rounds differ but are reproducible.
    public var seed: UInt64

    public init(taxonomy: TaskTaxonomy, alphaSchedule: AlphaSchedule, size: Int?, seed: UInt64 = 0x7a91) {
        self.taxonomy = taxonomy
        self.alphaSchedule = alphaSchedule
        self.size = size
        self.seed = seed
    }

    /// Builds the composition of `round`.
    /// - Parameters:
    ///   - selection: the round's hard/easy split.
    ///   - instructions: the selected instructions (category and source); missing ones are skipped.
    ///   - responseIDs: the response to train on per instruction (refined, else teacher);
    ///     instructions without one cannot be trained on and are skipped.
    public func compose(
        round: Int, selection: [SelectionRecord], instructions: [Int64: InstructionRecord], responseIDs: [Int64: Int64]
    ) -> (records: [CompositionRecord], mix: CurriculumMix<Int64>) {
        var hard: [CurriculumItem<Int64>] = []
        var easy: [CurriculumItem<Int64>] = []
        for row in selection.sorted(by: { $0.instructionID < $1.instructionID }) where row.round == round {
            guard let instruction = instructions[row.instructionID], instruction.state == .active,
                instruction.split == .train, responseIDs[row.instructionID] != nil
            else { continue }
            let item = CurriculumItem(
                id: row.instructionID, category: instruction.category ?? TaskTaxonomy.fallbackCategory,
                isExpansion: instruction.source == .expansion, value: row.value)
            if row.hard { hard.append(item) } else { easy.append(item) }
        }
        let composer = CurriculumComposer(taxonomy: taxonomy, seed: seed ^ (UInt64(max(0, round)) &* 0x9e37_79b9_7f4a_7c15))
        let mix = composer.compose(
            hard: hard, easy: easy, alpha: alphaSchedule.alpha(forRound: round), size: size ?? (hard.count + easy.count))
        var copies: [Int64: Int] = [:]
        let records = mix.samples.enumerated().map { position, sample -> CompositionRecord in
            let id = sample.item.id
            let repeatIndex = copies[id, default: 0]
            copies[id] = repeatIndex + 1
            return CompositionRecord(
                round: round, instructionID: id, repeatIndex: repeatIndex, responseID: responseIDs[id]!,
                hard: sample.isHard, position: position)
        }
        return (records, mix)
    }
}
