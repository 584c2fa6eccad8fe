/// One good record read from a dataset file.
public struct DatasetRecord: Sendable, Hashable {
    public var instruction: String
    /// Empty when the record has none.
    public var input: String
    /// The reference answer, when present.
    public var output: String?
    /// The dataset's category label, when present.
    public var category: String?
    /// The layout it was read as.
    public var format: DatasetFormat
    /// Where it came from.
    public var location: DatasetLocation

    public init(instruction: String, input: String = "", output: String?, category: String?, format: DatasetFormat,
                location: DatasetLocation) {
        self.instruction = instruction
        self.input = input
        self.output = output
        self.category = category
        self.format = format
        self.location = location
    }
}

/// A position in a dataset file: a 1-based line of a JSONL file or a 0-based index of a
/// JSON array.
public struct DatasetLocation: Sendable, Hashable, CustomStringConvertible {
    public enum Kind: String, Sendable, Hashable {
        case line, index
    }

    public var file: String
    public var kind: Kind
    public var number: Int

    public init(file: String, kind: Kind, number: Int) {
        self.file = file
        self.kind = kind
        self.number = number
    }

    public var description: String { "\(file) \(kind.rawValue) \(number)" }
}

/// A record that could not be imported, and why.
public struct DatasetIssue: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Reason: Error, Sendable, Hashable {
        case invalidJSON(String)
        case invalidUTF8
        case tooLarge(bytes: Int, limit: Int)
        case notAnObject
        /// None of `instruction`, `conversations`, `messages` (or the forced format's key).
        case missingInstruction(expected: String)
        case wrongType(field: String, expected: String)
        case emptyText(field: String)
        /// The whole file is neither a JSON array nor JSON lines.
        case unrecognisedFile(String)
        case unreadable(String)
    }

    public var location: DatasetLocation
    public var reason: Reason

    public init(location: DatasetLocation, reason: Reason) {
        self.location = location
        self.reason = reason
    }

    public var description: String { "\(location): \(message)" }

    public var message: String {
        switch reason {
        case let .invalidJSON(detail): "invalid JSON (\(detail))"
        case .invalidUTF8: "invalid UTF-8 text"
        case let .tooLarge(bytes, limit): "record is \(bytes) bytes, over the \(limit)-byte limit"
        case .notAnObject: "expected a JSON object"
        case let .missingInstruction(expected): "missing instruction: expected \(expected)"
        case let .wrongType(field, expected): "`\(field)` must be \(expected)"
        case let .emptyText(field): "`\(field)` is empty"
        case let .unrecognisedFile(detail): "not a JSON array or JSON lines file (\(detail))"
        case let .unreadable(detail): "cannot read the file (\(detail))"
        }
    }
}
