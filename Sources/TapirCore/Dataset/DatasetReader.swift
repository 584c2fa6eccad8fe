import Foundation

/// Reads a dataset file record by record without loading it as one JSON value: JSON lines
/// are streamed line by line, and a JSON array is memory-mapped and split into its
/// elements by a byte scanner, so one bad element never hides the good ones.
public struct DatasetReader: Sendable {
    public var parser: DatasetRecordParser
    /// Records larger than this many bytes are rejected.
    public var maxRecordBytes: Int

    public static let defaultMaxRecordBytes = 1 << 20

    public init(parser: DatasetRecordParser = DatasetRecordParser(), maxRecordBytes: Int = DatasetReader.defaultMaxRecordBytes) {
        self.parser = parser
        self.maxRecordBytes = maxRecordBytes
    }

    /// Calls `body` with every record or issue of the file at `url`, in file order.
    /// Throws only what `body` throws; an unreadable file is reported as an issue.
    public func read(_ url: URL, _ body: (Result<DatasetRecord, DatasetIssue>) throws -> Void) throws {
        let file = url.path
        let data: Data
        do {
            data = try Data(contentsOf: url, options: .alwaysMapped)
        } catch {
            try body(.failure(DatasetIssue(location: DatasetLocation(file: file, kind: .line, number: 0),
                                           reason: .unreadable(error.localizedDescription))))
            return
        }
        let first = data.firstIndex { !Self.isSpace($0) }
        if let first, data[first] == UInt8(ascii: "[") {
            try readArray(data, file: file, body)
        } else {
            try readLines(data, file: file, body)
        }
    }

    static func isSpace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09
    }

    /// Decodes one record's bytes.
    func record(_ bytes: Data, at location: DatasetLocation) -> Result<DatasetRecord, DatasetIssue> {
        if bytes.count > maxRecordBytes {
            return .failure(DatasetIssue(location: location, reason: .tooLarge(bytes: bytes.count, limit: maxRecordBytes)))
        }
        let ascii = bytes.withUnsafeBytes { raw in raw.allSatisfy { $0 < 0x80 } }
        if !ascii, String(validating: bytes, as: UTF8.self) == nil {
            return .failure(DatasetIssue(location: location, reason: .invalidUTF8))
        }
        let json: Any
        do {
            json = try JSONSerialization.jsonObject(with: bytes, options: [.fragmentsAllowed])
        } catch {
            let detail = (error as NSError).userInfo[NSDebugDescriptionErrorKey] as? String ?? "syntax error"
            return .failure(DatasetIssue(location: location, reason: .invalidJSON(detail)))
        }
        return parser.parse(json, at: location)
    }

    // MARK: - JSON lines

    func readLines(_ data: Data, file: String, _ body: (Result<DatasetRecord, DatasetIssue>) throws -> Void) throws {
        var line = 0
        var start = data.startIndex
        let end = data.endIndex
        while start < end {
            line += 1
            let newline = data[start..<end].firstIndex(of: 0x0A) ?? end
            var lineEnd = newline
            if lineEnd > start, data[lineEnd - 1] == 0x0D { lineEnd -= 1 }
            let slice = data[start..<lineEnd]
            if !slice.allSatisfy(Self.isSpace) {
                try body(record(slice, at: DatasetLocation(file: file, kind: .line, number: line)))
            }
            start = newline < end ? newline + 1 : end
        }
    }

    // MARK: - JSON array

    /// Splits the top-level array into element byte ranges, tracking strings and nesting.
    func readArray(_ data: Data, file: String, _ body: (Result<DatasetRecord, DatasetIssue>) throws -> Void) throws {
        let count = data.count
        var ranges: [Range<Int>] = []
        var failure: String?
        data.withUnsafeBytes { (raw: UnsafeRawBufferPointer) in
            let bytes = raw.bindMemory(to: UInt8.self)
            var i = 0
            while i < count, Self.isSpace(bytes[i]) { i += 1 }
            i += 1 // '['
            var depth = 0
            var inString = false
            var escaped = false
            var elementStart: Int?
            while i < count {
                let b = bytes[i]
                if inString {
                    if escaped { escaped = false }
                    else if b == UInt8(ascii: "\\") { escaped = true }
                    else if b == UInt8(ascii: "\"") { inString = false }
                } else {
                    switch b {
                    case UInt8(ascii: "\""):
                        inString = true
                        if elementStart == nil { elementStart = i }
                    case UInt8(ascii: "{"), UInt8(ascii: "["):
                        if elementStart == nil { elementStart = i }
                        depth += 1
                    case UInt8(ascii: "}"), UInt8(ascii: "]"):
                        if depth == 0 {
                            // The closing bracket of the top-level array.
                            if let s = elementStart { ranges.append(s..<i) }
                            elementStart = nil
                            var j = i + 1
                            while j < count, Self.isSpace(bytes[j]) { j += 1 }
                            if j < count { failure = "unexpected text after the closing ] at byte \(j)" }
                            return
                        }
                        depth -= 1
                    case UInt8(ascii: ","):
                        if depth == 0 {
                            ranges.append((elementStart ?? i)..<i)
                            elementStart = nil
                        }
                    default:
                        if elementStart == nil, !Self.isSpace(b) { elementStart = i }
                    }
                }
                i += 1
            }
            if let s = elementStart { ranges.append(s..<count) }
            failure = "the array is not closed (unexpected end of file)"
        }
        let base = data.startIndex
        for (index, range) in ranges.enumerated() {
            let location = DatasetLocation(file: file, kind: .index, number: index)
            var slice = data[(base + range.lowerBound)..<(base + range.upperBound)]
            while let last = slice.last, Self.isSpace(last) { slice = slice.dropLast() }
            if slice.isEmpty {
                try body(.failure(DatasetIssue(location: location, reason: .invalidJSON("empty element"))))
                continue
            }
            try body(record(slice, at: location))
        }
        if let failure {
            try body(.failure(DatasetIssue(location: DatasetLocation(file: file, kind: .index, number: ranges.count),
                                           reason: .invalidJSON(failure))))
        }
    }
}
