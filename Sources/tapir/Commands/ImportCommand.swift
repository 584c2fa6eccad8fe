import ArgumentParser
import Foundation
import TapirCore
import TapirStore

extension DatasetFormat: ExpressibleByArgument {}

/// `tapir import FILE...`: add dataset records to the workspace.
struct ImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Import instructions (and their reference outputs) from dataset files.",
        discussion: """
            Reads Alpaca JSON arrays or JSONL ({instruction, input, output}), ShareGPT \
            ({conversations: [{from, value}]}) and OpenAI chat JSONL ({messages: [{role, content}]}). \
            Bad records are reported with file, line or index and reason; good ones still import. \
            Duplicates (same text ignoring case and whitespace) are skipped, so importing a file twice \
            adds nothing. Exits with status 1 only when no file held a single good record.
            """)

    @OptionGroup var workspace: WorkspaceOptions

    @Argument(help: "Dataset files (.json arrays or .jsonl).")
    var files: [String]

    @Option(help: "Record layout: auto, alpaca, sharegpt or messages.")
    var format: DatasetFormat = .auto

    @Option(help: "Share of instructions held out for evaluation (0–1), chosen by a hash of the text.")
    var evalFraction: Double = 0.1

    @Option(help: "Field holding the dataset's task category label.")
    var categoryField: String = "category"

    @Option(help: "Largest accepted record, in bytes.")
    var maxRecordBytes: Int = DatasetReader.defaultMaxRecordBytes

    @Flag(help: "Print every bad record (default: the first 20 per file).")
    var verbose = false

    func validate() throws {
        guard (0...1).contains(evalFraction) else { throw ValidationError("--eval-fraction must be between 0 and 1") }
        guard maxRecordBytes > 0 else { throw ValidationError("--max-record-bytes must be positive") }
    }

    func run() throws {
        try reportingFailures {
            let ws = try workspace.workspace()
            let config = try ws.loadConfig()
            let store = try ws.openStore()
            let options = ImportOptions(format: format, evalFraction: evalFraction, categoryField: categoryField,
                                        maxRecordBytes: maxRecordBytes, taxonomy: config.taxonomy)
            var good = 0
            for file in files {
                let url = URL(fileURLWithPath: (file as NSString).expandingTildeInPath).standardizedFileURL
                let report = try DatasetImporter.importFile(url, into: store, options: options)
                good += report.imported + report.duplicates
                print("\(file): imported \(report.imported) (eval \(report.eval), with output \(report.withOutput), "
                      + "with category \(report.withCategory)), duplicates skipped \(report.duplicates), bad \(report.invalid)")
                let shown = verbose ? report.issues : Array(report.issues.prefix(20))
                for issue in shown { printError("  \(issue)") }
                if report.invalid > shown.count { printError("  … and \(report.invalid - shown.count) more bad records") }
            }
            let total = try store.read { try $0.instructionCount() }
            print("Workspace now holds \(total) instructions.")
            if good == 0 {
                printError("tapir: nothing imported: no file held a valid record")
                throw ExitCode.failure
            }
        }
    }
}
