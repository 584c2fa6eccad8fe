import Foundation
import TapirCore

/// Writes a workspace training set to disk; used by `tapir export` and by the engine's
/// compose stage (which writes `exports/round-N/`).
public enum TrainingSetExporter {
    /// Which training set to export.
    public enum Selection: Sendable, Hashable {
        /// The latest composed round, or the seed set when no round is composed yet.
        case latest
        /// The composed set of one round.
        case round(Int)
        /// Every active train-split instruction with its best response.
        case seed
    }

    /// What was exported.
    public struct Result: Sendable, Hashable {
        /// The round exported, `nil` for the seed set.
        public var round: Int?
        public var manifest: DatasetExporter.Manifest
    }

    /// Exports `selection` in `formats` into `directory` (default: `exports/round-N/` or
    /// `exports/seed/` of `workspace`), with a LLaMA-Factory `dataset_info.json`.
    @discardableResult
    public static func export(
        _ selection: Selection = .latest, from store: WorkspaceStore, formats: [ExportFormat] = ExportFormat.allCases,
        to directory: URL? = nil, workspace: Workspace? = nil
    ) throws -> Result {
        let (round, examples): (Int?, [TrainingExample]) = try store.read { reader in
            switch selection {
            case .latest:
                if let round = try reader.latestComposedRound() { return (round, try reader.trainingExamples(round: round)) }
                return (nil, try reader.seedTrainingExamples())
            case let .round(n):
                guard try reader.latestComposedRound() != nil, !(try reader.composition(round: n).isEmpty) else {
                    throw ExportError.noComposition(round: n)
                }
                return (n, try reader.trainingExamples(round: n))
            case .seed:
                return (nil, try reader.seedTrainingExamples())
            }
        }
        return try write(examples, round: round, formats: formats, to: directory ?? folder(round: round, workspace: workspace, store: store))
    }

    /// Writes `examples` — the composed set of `round` (nil: the seed set), as
    /// `StoreReader.trainingExamples(round:)` reads it — in `formats` into `directory`, with
    /// the dataset names `export` gives them. For a caller that already holds the examples.
    @discardableResult
    public static func write(
        _ examples: [TrainingExample], round: Int?, formats: [ExportFormat] = ExportFormat.allCases, to directory: URL
    ) throws -> Result {
        let prefix = round.map { "tapir_round_\($0)" } ?? "tapir_seed"
        let manifest = try DatasetExporter.write(examples, formats: formats, to: directory, namePrefix: prefix)
        return Result(round: round, manifest: manifest)
    }

    /// The default folder of an export: `exports/round-N/` or `exports/seed/` of the
    /// workspace, else next to the store's database.
    static func folder(round: Int?, workspace: Workspace?, store: WorkspaceStore) -> URL {
        let folderName = round.map { "round-\($0)" } ?? "seed"
        if let workspace { return workspace.exportsURL.appendingPathComponent(folderName, isDirectory: true) }
        return URL(fileURLWithPath: store.path).deletingLastPathComponent()
            .appendingPathComponent("exports", isDirectory: true).appendingPathComponent(folderName, isDirectory: true)
    }
}

/// Export problems the user can act on.
public enum ExportError: Error, Sendable, Hashable, CustomStringConvertible {
    case noComposition(round: Int)

    public var description: String {
        switch self {
        case let .noComposition(round):
            "round \(round) has no composed training set yet; run the curriculum through its compose stage or omit --round"
        }
    }
}
