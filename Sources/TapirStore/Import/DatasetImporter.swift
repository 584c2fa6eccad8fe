import Foundation
import GRDB
import TapirCore

/// Options of `tapir import`.
public struct ImportOptions: Sendable, Hashable {
    public var format: DatasetFormat
    /// Share of instructions held out for evaluation, by a hash of their normalised text.
    public var evalFraction: Double
    /// Field holding the dataset's category label.
    public var categoryField: String
    public var maxRecordBytes: Int
    /// Records per write transaction.
    public var batchSize: Int
    /// Labels matching a taxonomy name (ignoring case) are stored under that name.
    public var taxonomy: TaskTaxonomy?

    public init(format: DatasetFormat = .auto, evalFraction: Double = 0, categoryField: String = "category",
                maxRecordBytes: Int = DatasetReader.defaultMaxRecordBytes, batchSize: Int = 10_000,
                taxonomy: TaskTaxonomy? = nil) {
        self.format = format
        self.evalFraction = evalFraction
        self.categoryField = categoryField
        self.maxRecordBytes = maxRecordBytes
        self.batchSize = batchSize
        self.taxonomy = taxonomy
    }
}

/// What importing one file did.
public struct ImportReport: Sendable, Hashable, Codable {
    public var file: String
    /// New instructions stored.
    public var imported: Int
    /// Records whose normalised text was already stored (or repeated in the file).
    public var duplicates: Int
    /// Bad records (each also in `issues`, up to `maxIssues`).
    public var invalid: Int
    /// New instructions in the eval split.
    public var eval: Int
    /// New instructions that came with a reference output (stored as teacher responses).
    public var withOutput: Int
    /// New instructions with a dataset category.
    public var withCategory: Int
    public var issues: [String]

    /// Issues kept verbatim in a report; the rest are only counted.
    public static let maxIssues = 1000
}

/// Imports dataset files into a workspace: parse with `DatasetReader`, insert in large
/// transactions, skip duplicates, split train/eval deterministically.
public enum DatasetImporter {
    /// Imports `url` into `store`. Bad records are reported and skipped; good ones import.
    public static func importFile(_ url: URL, into store: WorkspaceStore, options: ImportOptions = ImportOptions()) throws -> ImportReport {
        let reader = DatasetReader(
            parser: DatasetRecordParser(format: options.format, categoryField: options.categoryField),
            maxRecordBytes: options.maxRecordBytes)
        var report = ImportReport(file: url.path, imported: 0, duplicates: 0, invalid: 0, eval: 0, withOutput: 0,
                                  withCategory: 0, issues: [])
        var batch: [DatasetRecord] = []
        batch.reserveCapacity(options.batchSize)
        func flush() throws {
            guard !batch.isEmpty else { return }
            let records = batch
            let counts = try store.write { try $0.importRecords(records, options: options) }
            report.imported += counts.imported
            report.duplicates += counts.duplicates
            report.eval += counts.eval
            report.withOutput += counts.withOutput
            report.withCategory += counts.withCategory
            batch.removeAll(keepingCapacity: true)
        }
        try reader.read(url) { result in
            switch result {
            case let .success(record):
                batch.append(record)
                if batch.count >= options.batchSize { try flush() }
            case let .failure(issue):
                report.invalid += 1
                if report.issues.count < ImportReport.maxIssues { report.issues.append(issue.description) }
            }
        }
        try flush()
        return report
    }
}

/// Counts of one imported batch.
public struct ImportBatchCounts: Sendable, Hashable {
    public var imported = 0
    public var duplicates = 0
    public var eval = 0
    public var withOutput = 0
    public var withCategory = 0
}

extension StoreWriter {
    /// Inserts parsed dataset records (with their outputs as round-0 teacher responses).
    public func importRecords(_ records: [DatasetRecord], options: ImportOptions) throws -> ImportBatchCounts {
        var counts = ImportBatchCounts()
        let now = Date()
        let insertInstruction = try db.cachedStatement(sql: """
            INSERT OR IGNORE INTO instructions
                (text, input, source, category, category_source, split, state, norm_hash, origin_file, origin_line, created_round, created_at)
            VALUES (?, ?, 'dataset', ?, ?, ?, 'active', ?, ?, ?, 0, ?)
            """)
        let insertResponse = try db.cachedStatement(sql: """
            INSERT OR IGNORE INTO responses (instruction_id, role, round, model, text, origin, created_at)
            VALUES (?, 'teacher', 0, 'dataset', ?, ?, ?)
            """)
        for record in records {
            let fingerprint = InstructionFingerprint.fingerprint(instruction: record.instruction, input: record.input)
            let hash = fingerprint.hash
            let split = fingerprint.split(evalFraction: options.evalFraction)
            var category = record.category
            if let label = category, let known = options.taxonomy?.category(matching: label) { category = known.name }
            try insertInstruction.execute(arguments: [
                record.instruction, record.input, category, category == nil ? nil : CategorySource.dataset.rawValue,
                split.rawValue, hash, record.location.file, record.location.number, now,
            ])
            guard db.changesCount > 0 else {
                counts.duplicates += 1
                continue
            }
            counts.imported += 1
            if split == .eval { counts.eval += 1 }
            if category != nil { counts.withCategory += 1 }
            if let output = record.output {
                let id = db.lastInsertedRowID
                try insertResponse.execute(arguments: [id, output, "\(record.location.file):\(record.location.kind.rawValue) \(record.location.number)", now])
                counts.withOutput += 1
            }
        }
        return counts
    }
}
