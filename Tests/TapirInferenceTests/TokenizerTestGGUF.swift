import Foundation
@testable import TapirInference

/// Test-only reader of GGUF metadata (header and key/values, no tensors), so the tokenizer
/// tests can load real vocabularies before the library's GGUF reader is merged in.
enum TokenizerTestGGUF {
    struct ReadError: Error, CustomStringConvertible {
        let description: String
    }

    static func metadata(path: String) throws -> [String: GGUFValue] {
        let data = try Data(contentsOf: URL(fileURLWithPath: path), options: .alwaysMapped)
        var reader = Reader(data: data)
        guard try reader.bytes(4) == Array("GGUF".utf8) else { throw ReadError(description: "\(path): not a GGUF file") }
        let version = try reader.u32()
        guard version == 2 || version == 3 else { throw ReadError(description: "\(path): GGUF version \(version)") }
        _ = try reader.u64()  // tensor count
        let count = try reader.u64()
        var result: [String: GGUFValue] = [:]
        for _ in 0..<count {
            let key = try reader.string()
            let type = try reader.u32()
            result[key] = try reader.value(type: type)
        }
        return result
    }

    private struct Reader {
        let data: Data
        var offset = 0

        mutating func bytes(_ n: Int) throws -> [UInt8] {
            guard n >= 0, offset + n <= data.count else { throw ReadError(description: "truncated at \(offset)") }
            defer { offset += n }
            return [UInt8](data[data.startIndex + offset ..< data.startIndex + offset + n])
        }

        mutating func integer<T: FixedWidthInteger>(_: T.Type) throws -> T {
            let size = MemoryLayout<T>.size
            guard offset + size <= data.count else { throw ReadError(description: "truncated at \(offset)") }
            var value: T = 0
            withUnsafeMutableBytes(of: &value) { dst in
                data.copyBytes(to: dst.bindMemory(to: UInt8.self), from: data.startIndex + offset ..< data.startIndex + offset + size)
            }
            offset += size
            return T(littleEndian: value)
        }

        mutating func u32() throws -> UInt32 { try integer(UInt32.self) }
        mutating func u64() throws -> UInt64 { try integer(UInt64.self) }

        mutating func string() throws -> String {
            let n = try u64()
            guard n < UInt64(data.count) else { throw ReadError(description: "string length \(n) at \(offset)") }
            return String(decoding: try bytes(Int(n)), as: UTF8.self)
        }

        mutating func value(type: UInt32) throws -> GGUFValue {
            switch type {
            case 0: return .uint8(try integer(UInt8.self))
            case 1: return .int8(try integer(Int8.self))
            case 2: return .uint16(try integer(UInt16.self))
            case 3: return .int16(try integer(Int16.self))
            case 4: return .uint32(try integer(UInt32.self))
            case 5: return .int32(try integer(Int32.self))
            case 6: return .float32(Float(bitPattern: try integer(UInt32.self)))
            case 7: return .bool(try integer(UInt8.self) != 0)
            case 8: return .string(try string())
            case 9:
                let elementType = try u32()
                let n = try u64()
                guard n < UInt64(data.count) else { throw ReadError(description: "array length \(n) at \(offset)") }
                var values: [GGUFValue] = []
                values.reserveCapacity(Int(n))
                for _ in 0..<n { values.append(try value(type: elementType)) }
                return .array(values)
            case 10: return .uint64(try integer(UInt64.self))
            case 11: return .int64(try integer(Int64.self))
            case 12: return .float64(Double(bitPattern: try integer(UInt64.self)))
            default: throw ReadError(description: "unknown value type \(type) at \(offset)")
            }
        }
    }
}

/// Where the tokenizer tests find their files.
enum TokenizerTestFiles {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Fixtures/reference")

    static var tapirHome: String {
        ProcessInfo.processInfo.environment["TAPIR_HOME"] ?? (NSHomeDirectory() + "/.cache/tapir")
    }

    /// The default SmolLM2 model (`make setup` / scripts/fetch-model.sh), when present.
    static var smolLM2: String? {
        let path = ProcessInfo.processInfo.environment["TAPIR_MODEL"] ?? tapirHome + "/SmolLM2-135M-Instruct.Q4_1.gguf"
        return FileManager.default.fileExists(atPath: path) ? path : nil
    }

    /// A llama.cpp vocab-only GGUF (scripts/reference/fetch-vocabs.sh), when present.
    static func vocab(_ file: String) -> String? {
        let path = tapirHome + "/vocab/" + file
        return FileManager.default.fileExists(atPath: path) ? path : nil
    }

    static var hasVocabs: Bool { vocab("ggml-vocab-llama-spm.gguf") != nil }

    static func json(_ name: String) throws -> Any {
        let data = try Data(contentsOf: fixtures.appendingPathComponent(name))
        return try JSONSerialization.jsonObject(with: data)
    }

    /// Loads a tokenizer once per file for the whole test run.
    static func tokenizer(path: String) throws -> Tokenizer {
        try TokenizerCache.shared.tokenizer(path: path)
    }
}

final class TokenizerCache: @unchecked Sendable {
    static let shared = TokenizerCache()
    private let lock = NSLock()
    private var cache: [String: Tokenizer] = [:]

    func tokenizer(path: String) throws -> Tokenizer {
        lock.lock()
        defer { lock.unlock() }
        if let t = cache[path] { return t }
        let t = try Tokenizer(metadata: TokenizerTestGGUF.metadata(path: path))
        cache[path] = t
        return t
    }
}
