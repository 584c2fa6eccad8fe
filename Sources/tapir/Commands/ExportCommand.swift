import ArgumentParser
import Foundation
import TapirCore
import TapirStore

/// `tapir export`: write a training set for a trainer.
struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write a training set as Alpaca JSON, ShareGPT JSONL and/or OpenAI-messages JSONL, plus a LLaMA-Factory dataset_info.json.",
        discussion: """
            Default: the latest composed round; before any round is composed, every active train-split \
            instruction with its best response (refined over teacher). Files go to exports/round-N/ \
            (or exports/seed/) unless --out is given.
            """)

    enum FormatChoice: String, ExpressibleByArgument, CaseIterable {
        case alpaca, sharegpt, messages, all

        var formats: [ExportFormat] {
            switch self {
            case .alpaca: [.alpaca]
            case .sharegpt: [.sharegpt]
            case .messages: [.messages]
            case .all: ExportFormat.allCases
            }
        }
    }

    @OptionGroup var workspace: WorkspaceOptions

    @Option(help: "Round whose composed training set to export (default: the latest).")
    var round: Int?

    @Option(help: "alpaca, sharegpt, messages or all.")
    var format: FormatChoice = .all

    @Option(help: ArgumentHelp("Output folder (default: exports/round-N/ in the workspace).", valueName: "DIR"))
    var out: String?

    func run() throws {
        try reportingFailures {
            let ws = try workspace.workspace()
            let store = try ws.openStore()
            let outURL = out.map { URL(fileURLWithPath: ($0 as NSString).expandingTildeInPath).standardizedFileURL }
            let result = try TrainingSetExporter.export(round.map { .round($0) } ?? .latest, from: store,
                                                        formats: format.formats, to: outURL, workspace: ws)
            let what = result.round.map { "round \($0)" } ?? "seed set (no round composed yet)"
            print("Exported \(result.manifest.count) examples of the \(what) to \(result.manifest.directory.path)")
            for f in format.formats {
                if let url = result.manifest.files[f], let name = result.manifest.datasetNames[f] {
                    print("  \(url.lastPathComponent)  (dataset \(name))")
                }
            }
            print("  dataset_info.json")
        }
    }
}
