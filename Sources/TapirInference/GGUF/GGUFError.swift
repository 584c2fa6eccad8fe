/// Why a GGUF file could not be read. Every case names the part of the file that is wrong.
public enum GGUFError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The file could not be opened or mapped (`reason` is the system's message).
    case cannotOpen(path: String, reason: String)
    /// The first four bytes are not `GGUF`.
    case notGGUF(magic: UInt32)
    /// A GGUF version other than 2 or 3.
    case unsupportedVersion(UInt32)
    /// The file ends before `what` (which starts at `offset` and needs `needed` bytes).
    case truncated(what: String, offset: Int, needed: Int, fileSize: Int)
    /// A metadata value type code that GGUF does not define.
    case invalidValueType(key: String, code: UInt32)
    /// A string that is not valid UTF-8.
    case invalidString(what: String, offset: Int)
    /// A count larger than the rest of the file could hold.
    case countTooLarge(what: String, count: UInt64, limit: UInt64)
    /// Arrays nested deeper than the reader allows.
    case nestingTooDeep(key: String)
    /// The same metadata key or tensor name twice.
    case duplicate(what: String, name: String)
    /// `general.alignment` is zero, not a power of two, or absurdly large.
    case invalidAlignment(UInt64)
    /// A tensor type code that is unknown or not supported.
    case unknownTensorType(tensor: String, code: UInt32)
    /// A tensor with zero, negative, too many or overflowing dimensions, or a row length that
    /// is not a multiple of its type's block size.
    case invalidDimensions(tensor: String, dimensions: [UInt64], reason: String)
    /// A tensor whose data lies (partly) outside the file or is misaligned.
    case tensorOutOfBounds(tensor: String, offset: UInt64, size: UInt64, available: UInt64)
    /// A required metadata key is absent.
    case missingMetadata(key: String)
    /// A metadata key has the wrong type or an out-of-range value.
    case invalidMetadata(key: String, reason: String)
    /// A tensor the model needs is absent.
    case missingTensor(name: String)
    /// A tensor has a shape or type the model cannot use.
    case invalidTensor(name: String, reason: String)

    public var description: String {
        switch self {
        case .cannotOpen(let path, let reason): "cannot open GGUF file \(path): \(reason)"
        case .notGGUF(let magic):
            "not a GGUF file (magic 0x\(String(magic, radix: 16)), expected 0x46554747 'GGUF')"
        case .unsupportedVersion(let v):
            v > 0xFFFF
                ? "unsupported GGUF version \(v) (big-endian GGUF files are not supported)"
                : "unsupported GGUF version \(v) (versions 2 and 3 are supported)"
        case .truncated(let what, let offset, let needed, let size):
            "GGUF file is truncated: \(what) at byte \(offset) needs \(needed) bytes, file has \(size)"
        case .invalidValueType(let key, let code): "metadata key '\(key)' has unknown value type \(code)"
        case .invalidString(let what, let offset): "\(what) at byte \(offset) is not valid UTF-8"
        case .countTooLarge(let what, let count, let limit):
            "\(what) count \(count) exceeds what the file can hold (at most \(limit))"
        case .nestingTooDeep(let key): "metadata key '\(key)' nests arrays too deeply"
        case .duplicate(let what, let name): "duplicate \(what) '\(name)'"
        case .invalidAlignment(let a): "general.alignment \(a) is not a power of two between 1 and 2^20"
        case .unknownTensorType(let t, let code): "tensor '\(t)' has unknown or unsupported type \(code)"
        case .invalidDimensions(let t, let dims, let reason): "tensor '\(t)' has invalid dimensions \(dims): \(reason)"
        case .tensorOutOfBounds(let t, let offset, let size, let available):
            "tensor '\(t)' data (offset \(offset), \(size) bytes) lies outside the \(available) data bytes of the file or is misaligned"
        case .missingMetadata(let key): "GGUF metadata key '\(key)' is missing"
        case .invalidMetadata(let key, let reason): "GGUF metadata key '\(key)' is invalid: \(reason)"
        case .missingTensor(let name): "GGUF file has no tensor '\(name)'"
        case .invalidTensor(let name, let reason): "tensor '\(name)' cannot be used: \(reason)"
        }
    }
}
