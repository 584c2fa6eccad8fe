import Foundation

/// Writes training examples as Alpaca JSON, ShareGPT JSONL and OpenAI-messages JSONL,
/// plus a LLaMA-Factory `dataset_info.json` naming each file with its format's columns.
public enum DatasetExporter {
    /// What one export wrote.
    public struct Manifest: Sendable, Hashable {
        public var directory: URL
        /// Format → file written.
        public var files: [ExportFormat: URL]
        /// Format → dataset name in `dataset_info.json`.
        public var datasetNames: [ExportFormat: String]
        public var datasetInfo: URL
        public var count: Int
    }

    /// Writes `examples` in each of `formats` into `directory` (created if needed) and a
    /// `dataset_info.json` whose entries are named `<namePrefix>_<format>`. Files are
    /// written atomically; an existing `dataset_info.json` keeps its other entries.
    @discardableResult
    public static func write(_ examples: [TrainingExample], formats: [ExportFormat] = ExportFormat.allCases,
                             to directory: URL, namePrefix: String) throws -> Manifest {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        var files: [ExportFormat: URL] = [:]
        var names: [ExportFormat: String] = [:]
        let infoURL = directory.appendingPathComponent("dataset_info.json")
        var info: [String: Any] = [:]
        if let data = try? Data(contentsOf: infoURL),
           let existing = try? JSONSerialization.jsonObject(with: data) as? [String: Any] {
            info = existing
        }
        // Each format encoded and written on a thread of its own.
        let failures = FormatFailures()
        DispatchQueue.concurrentPerform(iterations: formats.count) { index in
            let format = formats[index]
            do {
                try encode(examples, as: format).write(to: directory.appendingPathComponent(format.fileName), options: .atomic)
            } catch {
                failures.record(error, at: index)
            }
        }
        if let error = failures.first { throw error }
        for format in formats {
            files[format] = directory.appendingPathComponent(format.fileName)
            let name = "\(namePrefix)_\(format.rawValue)"
            names[format] = name
            info[name] = datasetInfoEntry(for: format)
        }
        let infoData = try JSONSerialization.data(withJSONObject: info, options: [.prettyPrinted, .sortedKeys])
        try infoData.write(to: infoURL, options: .atomic)
        return Manifest(directory: directory, files: files, datasetNames: names, datasetInfo: infoURL, count: examples.count)
    }

    /// The file contents of `examples` in `format`.
    public static func encode(_ examples: [TrainingExample], as format: ExportFormat) throws -> Data {
        switch format {
        case .alpaca:
            // A JSON array, one example per line, keys sorted.
            var out: [UInt8] = []
            out.reserveCapacity(examples.count * 256)
            for (offset, example) in examples.enumerated() {
                JSONText.raw(offset == 0 ? "[\n  " : ",\n  ", into: &out)
                JSONText.object([("input", example.input), ("instruction", example.instruction), ("output", example.output)],
                                into: &out)
            }
            JSONText.raw(examples.isEmpty ? "[]\n" : "\n]\n", into: &out)
            return data(out)
        case .sharegpt:
            var out: [UInt8] = []
            out.reserveCapacity(examples.count * 256)
            for example in examples {
                JSONText.conversationLine(key: "conversations", turns: [[("from", "human"), ("value", example.prompt)],
                                                                       [("from", "gpt"), ("value", example.output)]], into: &out)
            }
            return data(out)
        case .messages:
            var out: [UInt8] = []
            out.reserveCapacity(examples.count * 256)
            for example in examples {
                JSONText.conversationLine(key: "messages", turns: [[("content", example.prompt), ("role", "user")],
                                                                  [("content", example.output), ("role", "assistant")]], into: &out)
            }
            return data(out)
        }
    }

    /// `bytes` as `Data`, copied in one block.
    private static func data(_ bytes: [UInt8]) -> Data {
        bytes.withUnsafeBufferPointer { Data(buffer: $0) }
    }

    /// The LLaMA-Factory `dataset_info.json` entry for a file in `format`.
    public static func datasetInfoEntry(for format: ExportFormat) -> [String: Any] {
        switch format {
        case .alpaca:
            return ["file_name": format.fileName, "formatting": "alpaca",
                    "columns": ["prompt": "instruction", "query": "input", "response": "output"]]
        case .sharegpt:
            return ["file_name": format.fileName, "formatting": "sharegpt",
                    "columns": ["messages": "conversations"],
                    "tags": ["role_tag": "from", "content_tag": "value", "user_tag": "human", "assistant_tag": "gpt"]]
        case .messages:
            return ["file_name": format.fileName, "formatting": "sharegpt",
                    "columns": ["messages": "messages"],
                    "tags": ["role_tag": "role", "content_tag": "content", "user_tag": "user",
                             "assistant_tag": "assistant", "system_tag": "system"]]
        }
    }
}

/// The errors of a concurrent export, reported in format order.
private final class FormatFailures: @unchecked Sendable {
    private let lock = NSLock()
    private var errors: [Int: any Error] = [:]

    func record(_ error: any Error, at index: Int) {
        lock.withLock { errors[index] = error }
    }

    var first: (any Error)? {
        lock.withLock { errors.min { $0.key < $1.key }?.value }
    }
}
