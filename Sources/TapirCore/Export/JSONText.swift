/// Hand-written JSON bytes for the exporter's fixed shapes (string fields in objects with
/// sorted keys), much cheaper than `JSONSerialization` for the 10,000s of examples the
/// compose stage exports. Works on UTF-8 bytes: every byte JSON must escape (quote,
/// backslash, controls) is ASCII and never part of a multi-byte sequence.
enum JSONText {
    /// Appends `text` as a JSON string literal: quotes, backslashes and control characters
    /// escaped, everything else (slashes, non-ASCII) as is.
    static func string(_ text: String, into out: inout [UInt8]) {
        out.append(0x22)
        var text = text
        text.withUTF8 { bytes in
            // Runs of bytes that need no escape are copied whole.
            var start = 0, index = 0
            let count = bytes.count
            while index < count {
                // Eight bytes at a time while none of them needs an escape.
                if index + 8 <= count, !needsEscape(UnsafeRawPointer(bytes.baseAddress! + index).loadUnaligned(as: UInt64.self)) {
                    index += 8
                    continue
                }
                let byte = bytes[index]
                if byte < 0x20 || byte == 0x22 || byte == 0x5C {
                    out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start..<index]))
                    escape(byte, into: &out)
                    start = index + 1
                }
                index += 1
            }
            out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start...]))
        }
        out.append(0x22)
    }

    /// True when one of the eight bytes is a control character, a quote or a backslash
    /// (the classic "has zero byte" / "has byte less than" word tests; exact, no false hits).
    @inline(__always)
    static func needsEscape(_ word: UInt64) -> Bool {
        let ones: UInt64 = 0x0101_0101_0101_0101, highs: UInt64 = 0x8080_8080_8080_8080
        let below20 = (word &- ones &* 0x20) & ~word & highs
        let quote = word ^ (ones &* 0x22), backslash = word ^ (ones &* 0x5C)
        let hasQuote = (quote &- ones) & ~quote & highs
        let hasBackslash = (backslash &- ones) & ~backslash & highs
        return (below20 | hasQuote | hasBackslash) != 0
    }

    private static func escape(_ byte: UInt8, into out: inout [UInt8]) {
        switch byte {
        case 0x22: out.append(contentsOf: [0x5C, 0x22])
        case 0x5C: out.append(contentsOf: [0x5C, 0x5C])
        case 0x0A: out.append(contentsOf: [0x5C, 0x6E])
        case 0x0D: out.append(contentsOf: [0x5C, 0x72])
        case 0x09: out.append(contentsOf: [0x5C, 0x74])
        case 0x08: out.append(contentsOf: [0x5C, 0x62])
        case 0x0C: out.append(contentsOf: [0x5C, 0x66])
        default: out.append(contentsOf: [0x5C, 0x75, 0x30, 0x30, hex(byte >> 4), hex(byte & 0xF)])
        }
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
