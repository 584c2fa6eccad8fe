/// Hand-written JSON text for the exporter's fixed shapes (string fields in objects with
/// sorted keys): 10,000 examples encode about ten times faster than through
/// `JSONSerialization`, which the compose stage felt in the engine benchmark.
enum JSONText {
    /// `text` as a JSON string literal: quotes, backslashes and control characters escaped,
    /// everything else (slashes, non-ASCII) as is.
    static func string(_ text: String, into out: inout String) {
        out.append("\"")
        var start = text.unicodeScalars.startIndex
        let scalars = text.unicodeScalars
        var index = start
        while index < scalars.endIndex {
            let scalar = scalars[index]
            let escape: String? = switch scalar {
            case "\"": "\\\""
            case "\\": "\\\\"
            case "\n": "\\n"
            case "\r": "\\r"
            case "\t": "\\t"
            case "\u{08}": "\\b"
            case "\u{0C}": "\\f"
            default: scalar.value < 0x20 ? "\\u00" + hex(scalar.value >> 4) + hex(scalar.value & 0xF) : nil
            }
            if let escape {
                out.unicodeScalars.append(contentsOf: scalars[start..<index])
                out.append(escape)
                start = scalars.index(after: index)
            }
            index = scalars.index(after: index)
        }
        out.unicodeScalars.append(contentsOf: scalars[start..<scalars.endIndex])
        out.append("\"")
    }

    private static func hex(_ nibble: UInt32) -> String {
        String(UnicodeScalar(UInt8(nibble < 10 ? 48 + nibble : 87 + nibble)))
    }

    /// `{"k1":"v1","k2":"v2"}` with the pairs in the order given (callers pass sorted keys).
    static func object(_ pairs: [(String, String)], into out: inout String) {
        out.append("{")
        for (offset, pair) in pairs.enumerated() {
            if offset > 0 { out.append(",") }
            string(pair.0, into: &out)
            out.append(":")
            string(pair.1, into: &out)
        }
        out.append("}")
    }

    /// `{"key":[{…},{…}]}`: one JSONL record of a conversation.
    static func conversation(key: String, turns: [[(String, String)]]) -> String {
        var out = "{"
        string(key, into: &out)
        out.append(":[")
        for (offset, turn) in turns.enumerated() {
            if offset > 0 { out.append(",") }
            object(turn, into: &out)
        }
        out.append("]}")
        return out
    }
}
