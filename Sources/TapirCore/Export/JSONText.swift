/// Hand-written JSON bytes for the exporter's fixed shapes (string fields in objects with
/// sorted keys), much cheaper than `JSONSerialization` for the 10,000s of examples the
/// compose stage exports. Works on UTF-8 bytes: every byte JSON must escape (quote,
/// backslash, controls) is ASCII and never part of a multi-byte sequence.
enum JSONText {
    /// Appends `text` as a JSON string literal: quotes, backslashes and control characters
    /// escaped, everything else (slashes, non-ASCII) as is.
    static func string(_ text: String, into out: inout [UInt8]) {
        out.append(0x22)
        for byte in text.utf8 {
            switch byte {
            case 0x22: out.append(contentsOf: [0x5C, 0x22])
            case 0x5C: out.append(contentsOf: [0x5C, 0x5C])
            case 0x0A: out.append(contentsOf: [0x5C, 0x6E])
            case 0x0D: out.append(contentsOf: [0x5C, 0x72])
            case 0x09: out.append(contentsOf: [0x5C, 0x74])
            case 0x08: out.append(contentsOf: [0x5C, 0x62])
            case 0x0C: out.append(contentsOf: [0x5C, 0x66])
            case 0..<0x20: out.append(contentsOf: [0x5C, 0x75, 0x30, 0x30, hex(byte >> 4), hex(byte & 0xF)])
            default: out.append(byte)
            }
        }
        out.append(0x22)
    }

    private static func hex(_ nibble: UInt8) -> UInt8 { nibble < 10 ? 48 + nibble : 87 + nibble }

    /// Appends ASCII punctuation.
    static func raw(_ text: StaticString, into out: inout [UInt8]) {
        text.withUTF8Buffer { out.append(contentsOf: $0) }
    }

    /// Appends `{"k1":"v1","k2":"v2"}` with the pairs in the order given (callers pass sorted keys).
    static func object(_ pairs: [(String, String)], into out: inout [UInt8]) {
        out.append(0x7B)
        for (offset, pair) in pairs.enumerated() {
            if offset > 0 { out.append(0x2C) }
            string(pair.0, into: &out)
            out.append(0x3A)
            string(pair.1, into: &out)
        }
        out.append(0x7D)
    }

    /// Appends `{"key":[{…},{…}]}` and a line feed: one JSONL record of a conversation.
    static func conversationLine(key: String, turns: [[(String, String)]], into out: inout [UInt8]) {
        out.append(0x7B)
        string(key, into: &out)
        raw(":[", into: &out)
        for (offset, turn) in turns.enumerated() {
            if offset > 0 { out.append(0x2C) }
            object(turn, into: &out)
        }
        raw("]}\n", into: &out)
    }
}
