/// The GPT-2 byte-level alphabet: every byte is written as one printable code point in
/// byte-level BPE vocabularies (printable Latin-1 bytes as themselves, the rest as U+0100…).
enum ByteLevelAlphabet {
    /// `scalarForByte[b]` is the code point that stands for byte `b`.
    static let scalarForByte: [UInt32] = {
        var table = [UInt32](repeating: 0, count: 256)
        var next: UInt32 = 256
        for b in 0..<256 {
            if (0x21...0x7E).contains(b) || (0xA1...0xAC).contains(b) || (0xAE...0xFF).contains(b) {
                table[b] = UInt32(b)
            } else {
                table[b] = next
                next += 1
            }
        }
        return table
    }()

    /// The byte a code point stands for, or nil when it is not part of the alphabet.
    static func byte(for scalar: UInt32) -> UInt8? {
        if scalar < 256 {
            let b = Int(scalar)
            if (0x21...0x7E).contains(b) || (0xA1...0xAC).contains(b) || (0xAE...0xFF).contains(b) { return UInt8(b) }
            return nil
        }
        return byteForHighScalar[scalar]
    }

    private static let byteForHighScalar: [UInt32: UInt8] = {
        var map: [UInt32: UInt8] = [:]
        for (b, s) in scalarForByte.enumerated() where s >= 256 { map[s] = UInt8(b) }
        return map
    }()

    /// Decodes a vocabulary entry into the bytes it stands for; code points outside the
    /// alphabet (seen in added tokens) are kept as their UTF-8.
    static func decode(_ text: String) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            if let b = byte(for: scalar.value) {
                out.append(b)
            } else {
                out.append(contentsOf: Array(String(scalar).utf8))
            }
        }
        return out
    }

    /// Encodes bytes into the alphabet's text (the form vocabulary entries are written in).
    static func encode(_ bytes: some Sequence<UInt8>) -> String {
        var s = String.UnicodeScalarView()
        for b in bytes { s.append(Unicode.Scalar(scalarForByte[Int(b)])!) }
        return String(s)
    }
}
