import Foundation

/// Extracts a JSON object from a reply that may wrap it in prose or ``` fences.
public enum JSONObjectExtractor {
    /// The first balanced `{…}` in the reply that parses as a JSON object (fenced blocks first).
    /// Throws `ReplyParseError`.
    public static func extract(from reply: String) throws -> JSONValue {
        var sawBrace = false
        for region in fencedBlocks(reply) + [reply] {
            for candidate in balancedObjects(in: region) {
                sawBrace = true
                if let value = try? JSONValue.parse(candidate), value.object != nil { return value }
            }
        }
        let reason: String
        if sawBrace {
            reason = "the braces do not hold valid JSON"
        } else if reply.contains("{") {
            reason = "the JSON object is not closed (truncated?)"
        } else {
            reason = "no JSON object"
        }
        throw ReplyParseError(expected: .jsonObject, reason: reason, reply: reply)
    }

    /// Contents of ``` fenced blocks (with or without a language tag).
    private static func fencedBlocks(_ text: String) -> [String] {
        let parts = text.components(separatedBy: "```")
        guard parts.count >= 3 else { return [] }
        return stride(from: 1, to: parts.count - 1, by: 2).map { index in
            let block = parts[index]
            // Drop an info string such as `json` on the opening line.
            if let newline = block.firstIndex(of: "\n"), !block[..<newline].contains("{") {
                return String(block[block.index(after: newline)...])
            }
            return block
        }
    }

    /// Every top-level balanced `{…}` substring, honouring strings and escapes.
    private static func balancedObjects(in text: String) -> [String] {
        var results: [String] = []
        let scalars = Array(text.unicodeScalars)
        var depth = 0
        var start = 0
        var inString = false
        var escaped = false
        for (index, scalar) in scalars.enumerated() {
            if inString {
                if escaped { escaped = false } else if scalar == "\\" { escaped = true } else if scalar == "\"" { inString = false }
                continue
            }
            switch scalar {
            case "\"" where depth > 0: inString = true
            case "{":
                if depth == 0 { start = index }
                depth += 1
            case "}" where depth > 0:
                depth -= 1
                if depth == 0 {
                    var view = String.UnicodeScalarView()
                    view.append(contentsOf: scalars[start...index])
                    results.append(String(view))
                }
            default: break
            }
        }
        return results
    }
}
