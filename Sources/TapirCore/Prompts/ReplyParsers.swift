import Foundation

/// Why a model's reply could not be read in the format its prompt asked for.
public enum ReplyParseError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The judge's first line did not hold two scores from 1 to 10.
    case judgeScores(firstLine: String)
    /// No `<instruction>…</instruction>` with text in it.
    case missingInstruction(excerpt: String)

    public var description: String {
        switch self {
        case let .judgeScores(line):
            "judge reply: expected two scores 1–10 on the first line, got \"\(line.prefix(80))\""
        case let .missingInstruction(excerpt):
            "expansion reply: no <instruction>…</instruction> found in \"\(excerpt.prefix(80))\""
        }
    }
}

/// Reads replies to the judge, classify and expand prompts.
public enum ReplyParser {
    /// The two scores on the judge reply's first non-empty line (Assistant 1's first) and the
    /// rest of the reply as the rationale. Tolerates "8 5", "8, 5", "8/10 5/10", "**8** 5",
    /// "Assistant 1: 8 Assistant 2: 5" and decimals.
    public static func judgeScores(_ reply: String) throws -> (first: Double, second: Double, rationale: String) {
        let lines = reply.split(separator: "\n", omittingEmptySubsequences: false)
        guard let index = lines.firstIndex(where: { !$0.trimmingCharacters(in: .whitespaces).isEmpty }) else {
            throw ReplyParseError.judgeScores(firstLine: "")
        }
        let line = String(lines[index])
        var cleaned = line.lowercased()
        for noise in ["assistant 1", "assistant 2", "assistant one", "assistant two", "/10", "/ 10", "out of 10"] {
            cleaned = cleaned.replacingOccurrences(of: noise, with: " ")
        }
        let numbers = numbersIn(cleaned)
        guard numbers.count == 2, numbers.allSatisfy({ (1...10).contains($0) }) else {
            throw ReplyParseError.judgeScores(firstLine: line)
        }
        let rationale = lines[(index + 1)...].joined(separator: "\n").trimmingCharacters(in: .whitespacesAndNewlines)
        return (numbers[0], numbers[1], rationale)
    }

    /// The category in the reply's `<answer>…</answer>` (or the bare reply) matched against the
    /// taxonomy ignoring case; an unknown label becomes `TaskTaxonomy.fallbackCategory`.
    public static func category(_ reply: String, taxonomy: TaskTaxonomy) -> (category: String, recognised: Bool) {
        let label = tagged("answer", in: reply) ?? reply
        let cleaned = label.trimmingCharacters(in: CharacterSet(charactersIn: " \t\n\r.*\"'`"))
        if let match = taxonomy.category(matching: cleaned) { return (match.name, true) }
        return (TaskTaxonomy.fallbackCategory, false)
    }

    /// The new instruction inside `<instruction>…</instruction>`. A reply cut off before the
    /// closing tag still yields the text after the opening tag.
    public static func instruction(_ reply: String) throws -> String {
        let text: String?
        if let inside = tagged("instruction", in: reply) {
            text = inside
        } else if let open = reply.range(of: "<instruction>", options: .caseInsensitive) {
            text = String(reply[open.upperBound...])
        } else {
            text = nil
        }
        guard let text, !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            throw ReplyParseError.missingInstruction(excerpt: reply)
        }
        return text.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Text between the first `<tag>` and the next `</tag>` (case-insensitive).
    static func tagged(_ tag: String, in reply: String) -> String? {
        guard let open = reply.range(of: "<\(tag)>", options: .caseInsensitive),
            let close = reply.range(of: "</\(tag)>", options: .caseInsensitive, range: open.upperBound..<reply.endIndex)
        else { return nil }
        return String(reply[open.upperBound..<close.lowerBound])
    }

    static func numbersIn(_ text: String) -> [Double] {
        var numbers: [Double] = []
        var current = ""
        for character in text + " " {
            if character.isASCII && (character.isNumber || (character == "." && !current.isEmpty && !current.contains("."))) {
                current.append(character)
            } else {
                if !current.isEmpty, let value = Double(current.hasSuffix(".") ? String(current.dropLast()) : current) {
                    numbers.append(value)
                }
                current = ""
            }
        }
        return numbers
    }
}
