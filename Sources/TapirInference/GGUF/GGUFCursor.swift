/// A bounds-checked little-endian reader over the bytes of a GGUF file.
struct GGUFCursor {
    let base: UnsafeRawPointer
    let size: Int
    var offset: Int = 0

    var remaining: Int { size - offset }

    mutating func need(_ n: Int, _ what: @autoclosure () -> String) throws(GGUFError) {
        guard n >= 0, n <= size - offset else {
            throw .truncated(what: what(), offset: offset, needed: n, fileSize: size)
        }
    }

    mutating func read<T: FixedWidthInteger>(_: T.Type, _ what: @autoclosure () -> String) throws(GGUFError) -> T {
        try need(MemoryLayout<T>.size, what())
        let v = base.loadUnaligned(fromByteOffset: offset, as: T.self)
        offset += MemoryLayout<T>.size
        return T(littleEndian: v)
    }

    /// Reads a length-prefixed string. With `strict`, invalid UTF-8 is an error; otherwise
    /// invalid bytes become U+FFFD (some vocabularies hold such token strings).
    mutating func readString(_ what: @autoclosure () -> String, strict: Bool = true) throws(GGUFError) -> String {
        let start = offset
        let len = try read(UInt64.self, "length of " + what())
        guard len <= UInt64(remaining) else {
            throw .truncated(what: what(), offset: offset, needed: len > UInt64(Int.max) ? Int.max : Int(len), fileSize: size)
        }
        let n = Int(len)
        let buf = UnsafeRawBufferPointer(start: base + offset, count: n).assumingMemoryBound(to: UInt8.self)
        let s: String
        if let valid = String(validating: buf, as: UTF8.self) {
            s = valid
        } else if strict {
            throw .invalidString(what: what(), offset: start)
        } else {
            s = String(decoding: buf, as: UTF8.self)
        }
        offset += n
        return s
    }
}
