import Foundation
import TapirLLM

/// The new instruction in a teacher's expand reply.
///
/// The prompt asks for `<instruction>…</instruction>`, and that is what is read when it is
/// there. Small models (the demo's 135M teacher) rarely manage the tags: they tend to imitate
/// the prompt's `<<<EXAMPLE` data blocks, or open the tag and run out of tokens before
/// closing it. Their reply is then read leniently — the text after an unclosed tag, else the
/// first paragraph with data-fence lines and a leading "Here is …:" line left out — and
/// marked `tagged: false`, so the stage never approves it automatically: it waits in the
/// queue for a reviewer whatever `curriculum.approval` says.
struct ExpansionReply: Sendable, Equatable {
    /// The new instruction, trimmed.
    var text: String
    /// True when it came from `<instruction>` tags.
    var tagged: Bool

    /// Longest untagged text taken as an instruction; a longer first paragraph is no reply to
    /// this prompt.
    static let untaggedLimit = 1_000

    /// The instruction in `reply`, or nil when there is none to read.
    static func parse(_ reply: String) -> ExpansionReply? {
        if let text = try? AnswerTagExtractor.extract(from: reply, tag: "instruction") {
            return ExpansionReply(text: text, tagged: true)
        }
        var body = Substring(reply)
        if let open = reply.range(of: "<instruction>", options: .caseInsensitive) { body = reply[open.upperBound...] }
        var lines: [Substring] = []
        for line in body.split(separator: "\n", omittingEmptySubsequences: false) {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            // Fence lines the model copied from the prompt's data blocks, whole or in part.
            let fence = trimmed.hasPrefix("<<<") || trimmed.hasPrefix(">>>") || (!trimmed.isEmpty && trimmed.allSatisfy { $0 == ">" || $0 == "<" })
            if fence || trimmed.lowercased().hasPrefix("</instruction") {
                if lines.isEmpty { continue } else { break }
            }
            if trimmed.isEmpty {
                if lines.isEmpty { continue } else { break }
            }
            // A preamble such as "Here is a new instruction:" is not the instruction.
            if lines.isEmpty, trimmed.hasSuffix(":"), trimmed.lowercased().contains("instruction") { continue }
            lines.append(line)
        }
        let text = lines.joined(separator: "\n").trimmingCharacters(in: .whitespacesAndNewlines)
        guard !text.isEmpty, text.count <= untaggedLimit else { return nil }
        return ExpansionReply(text: text, tagged: false)
    }
}
