/// A parsed GGUF file (version 2 or 3): metadata, tensor infos and memory-mapped tensor data.
///
/// Every count, length, offset and size is checked against the file before use, so a
/// truncated, corrupted or hostile file throws a `GGUFError` instead of crashing.
public final class GGUFFile: Sendable {
    /// GGUF format version (2 or 3).
    public let version: UInt32
    /// All metadata key/value pairs.
    public let metadata: [String: GGUFValue]
    /// Metadata keys in file order.
    public let metadataKeys: [String]
    /// Tensor infos in file order.
    public let tensors: [GGUFTensorInfo]
    /// Alignment of the tensor data section (`general.alignment`, default 32).
    public let alignment: Int
    /// Byte offset of the tensor data section in the file.
    public let dataOffset: Int
    /// Size of the whole file in bytes.
    public var fileSize: Int { storage.count }

    private let storage: GGUFStorage
    private let tensorIndex: [String: Int]

    /// Deepest array nesting accepted in metadata.
    static let maxNesting = 8
    static let magic: UInt32 = 0x4655_4747

    /// Opens and memory-maps the file at `path`.
    public convenience init(path: String) throws(GGUFError) {
        try self.init(storage: GGUFStorage(path: path))
    }

    /// Parses a GGUF image held in memory (copied).
    public convenience init(bytes: [UInt8]) throws(GGUFError) {
        try self.init(storage: GGUFStorage(bytes: bytes))
    }

    private init(storage: GGUFStorage) throws(GGUFError) {
        self.storage = storage
        var c = GGUFCursor(base: storage.base, size: storage.count)
        let magic = try c.read(UInt32.self, "magic")
        guard magic == Self.magic else { throw .notGGUF(magic: magic) }
        let version = try c.read(UInt32.self, "version")
        guard version == 2 || version == 3 else { throw .unsupportedVersion(version) }
        self.version = version
        let tensorCount = try c.read(UInt64.self, "tensor count")
        let kvCount = try c.read(UInt64.self, "metadata count")
        // A key/value pair takes at least 8 (key length) + 4 (type) + 1 bytes.
        let kvLimit = UInt64(c.remaining / 13)
        guard kvCount <= kvLimit else { throw .countTooLarge(what: "metadata", count: kvCount, limit: kvLimit) }

        var metadata: [String: GGUFValue] = [:]
        var keys: [String] = []
        keys.reserveCapacity(Int(kvCount))
        for i in 0..<Int(kvCount) {
            let key = try c.readString("metadata key #\(i)")
            let code = try c.read(UInt32.self, "value type of '\(key)'")
            let value = try Self.readValue(&c, code: code, key: key, depth: 0)
            guard metadata.updateValue(value, forKey: key) == nil else { throw .duplicate(what: "metadata key", name: key) }
            keys.append(key)
        }
        self.metadata = metadata
        self.metadataKeys = keys

        var alignment = 32
        if let a = metadata["general.alignment"] {
            guard let v = a.intValue, v > 0, v <= 1 << 20, v & (v - 1) == 0 else {
                throw .invalidAlignment(a.intValue.map(UInt64.init) ?? 0)
            }
            alignment = v
        }
        self.alignment = alignment

        // A tensor info takes at least 8 (name) + 4 (n_dims) + 4 (type) + 8 (offset) bytes.
        let tLimit = UInt64(c.remaining / 24)
        guard tensorCount <= tLimit else { throw .countTooLarge(what: "tensor", count: tensorCount, limit: tLimit) }
        var infos: [GGUFTensorInfo] = []
        var index: [String: Int] = [:]
        infos.reserveCapacity(Int(tensorCount))
        for i in 0..<Int(tensorCount) {
            let info = try Self.readTensorInfo(&c, number: i, alignment: alignment)
            guard index.updateValue(i, forKey: info.name) == nil else { throw .duplicate(what: "tensor", name: info.name) }
            infos.append(info)
        }
        let dataStart = (c.offset + alignment - 1) / alignment * alignment
        let available = max(0, storage.count - dataStart)
        for info in infos {
            guard info.offset <= available, info.byteCount <= available - info.offset else {
                throw .tensorOutOfBounds(
                    tensor: info.name, offset: UInt64(info.offset), size: UInt64(info.byteCount), available: UInt64(available))
            }
        }
        self.dataOffset = dataStart
        self.tensors = infos
        self.tensorIndex = index
    }

    private static func readValue(_ c: inout GGUFCursor, code: UInt32, key: String, depth: Int) throws(GGUFError) -> GGUFValue {
        switch code {
        case 0: return .uint8(try c.read(UInt8.self, "value of '\(key)'"))
        case 1: return .int8(try c.read(Int8.self, "value of '\(key)'"))
        case 2: return .uint16(try c.read(UInt16.self, "value of '\(key)'"))
        case 3: return .int16(try c.read(Int16.self, "value of '\(key)'"))
        case 4: return .uint32(try c.read(UInt32.self, "value of '\(key)'"))
        case 5: return .int32(try c.read(Int32.self, "value of '\(key)'"))
        case 6: return .float32(Float(bitPattern: try c.read(UInt32.self, "value of '\(key)'")))
        case 7:
            let b = try c.read(UInt8.self, "value of '\(key)'")
            guard b <= 1 else { throw .invalidMetadata(key: key, reason: "bool byte \(b) is neither 0 nor 1") }
            return .bool(b == 1)
        case 8: return .string(try c.readString("value of '\(key)'", strict: false))
        case 9:
            guard depth < maxNesting else { throw .nestingTooDeep(key: key) }
            let elemCode = try c.read(UInt32.self, "array type of '\(key)'")
            let count = try c.read(UInt64.self, "array length of '\(key)'")
            let minSize: Int
            switch elemCode {
            case 0, 1, 7: minSize = 1
            case 2, 3: minSize = 2
            case 4, 5, 6: minSize = 4
            case 8, 10, 11, 12: minSize = 8
            case 9: minSize = 12
            default: throw .invalidValueType(key: key, code: elemCode)
            }
            let limit = UInt64(c.remaining / minSize)
            guard count <= limit else { throw .countTooLarge(what: "array '\(key)'", count: count, limit: limit) }
            var out: [GGUFValue] = []
            out.reserveCapacity(Int(count))
            for _ in 0..<Int(count) {
                out.append(try readValue(&c, code: elemCode, key: key, depth: depth + 1))
            }
            return .array(out)
        case 10: return .uint64(try c.read(UInt64.self, "value of '\(key)'"))
        case 11: return .int64(try c.read(Int64.self, "value of '\(key)'"))
        case 12: return .float64(Double(bitPattern: try c.read(UInt64.self, "value of '\(key)'")))
        default: throw .invalidValueType(key: key, code: code)
        }
    }

    private static func readTensorInfo(_ c: inout GGUFCursor, number: Int, alignment: Int) throws(GGUFError) -> GGUFTensorInfo {
        let name = try c.readString("name of tensor #\(number)")
        let nDims = try c.read(UInt32.self, "dimension count of tensor '\(name)'")
        guard nDims >= 1, nDims <= 4 else {
            throw .invalidDimensions(tensor: name, dimensions: [], reason: "\(nDims) dimensions (1 to 4 allowed)")
        }
        var raw: [UInt64] = []
        for d in 0..<Int(nDims) { raw.append(try c.read(UInt64.self, "dimension \(d) of tensor '\(name)'")) }
        let code = try c.read(UInt32.self, "type of tensor '\(name)'")
        let offset = try c.read(UInt64.self, "data offset of tensor '\(name)'")
        guard let type = GGMLType(rawValue: code) else { throw .unknownTensorType(tensor: name, code: code) }
        var elements: UInt64 = 1
        for d in raw {
            guard d >= 1 else { throw .invalidDimensions(tensor: name, dimensions: raw, reason: "a dimension is zero") }
            let (p, overflow) = elements.multipliedReportingOverflow(by: d)
            guard !overflow, p <= UInt64(Int.max / 8) else {
                throw .invalidDimensions(tensor: name, dimensions: raw, reason: "element count overflows")
            }
            elements = p
        }
        guard raw[0] % UInt64(type.blockSize) == 0 else {
            throw .invalidDimensions(
                tensor: name, dimensions: raw, reason: "row length is not a multiple of the block size \(type.blockSize)")
        }
        guard offset % UInt64(alignment) == 0, offset <= UInt64(Int.max / 2) else {
            throw .tensorOutOfBounds(tensor: name, offset: offset, size: 0, available: 0)
        }
        let bytes = elements / UInt64(type.blockSize) * UInt64(type.blockBytes)
        return GGUFTensorInfo(
            name: name, dimensions: raw.map { Int($0) }, type: type, offset: Int(offset), byteCount: Int(bytes))
    }

    /// Drops the resident pages of the mapping (after weights were repacked elsewhere);
    /// later reads fault them in again.
    public func releaseResidentPages() { storage.releaseResidentPages() }

    /// The tensor named `name`, if present.
    public func tensor(named name: String) -> GGUFTensorInfo? {
        tensorIndex[name].map { tensors[$0] }
    }

    /// The bytes of a tensor's data (valid while this `GGUFFile` is alive).
    public func data(of tensor: GGUFTensorInfo) -> UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(start: storage.base + dataOffset + tensor.offset, count: tensor.byteCount)
    }

    /// The base address of a tensor's data (valid while this `GGUFFile` is alive).
    public func pointer(to tensor: GGUFTensorInfo) -> UnsafeRawPointer {
        storage.base + dataOffset + tensor.offset
    }
}
