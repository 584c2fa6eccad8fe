import Foundation

/// Extracts the text of an `<answer>…</answer>` tag from a reply.
public enum AnswerTagExtractor {
    /// The trimmed content of the last complete `<answer>` tag (case-insensitive; models that
    /// think aloud often quote the tag before their final one). Throws `ReplyParseError`.
    public static func extract(from reply: String, tag: String = "answer") throws -> String {
        let lower = reply.lowercased()
        let open = "<\(tag.lowercased())>"
        let close = "</\(tag.lowercased())>"
        var found: String?
        var searchStart = lower.startIndex
        while let openRange = lower.range(of: open, range: searchStart..<lower.endIndex) {
            guard let closeRange = lower.range(of: close, range: openRange.upperBound..<lower.endIndex) else { break }
            // Lowercasing can change lengths outside ASCII; map through UTF-8 offsets of the original.
            let start = reply.utf8.index(reply.utf8.startIndex, offsetBy: lower.utf8.distance(from: lower.startIndex, to: openRange.upperBound))
            let end = reply.utf8.index(reply.utf8.startIndex, offsetBy: lower.utf8.distance(from: lower.startIndex, to: closeRange.lowerBound))
            found = String(reply[start..<end])
            searchStart = closeRange.upperBound
        }
        guard let found else {
            let reason = lower.contains(open) ? "the <\(tag)> tag is never closed" : "no <\(tag)> tag"
            throw ReplyParseError(expected: .answerTag, reason: reason, reply: reply)
        }
        let trimmed = found.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else { throw ReplyParseError(expected: .answerTag, reason: "the <\(tag)> tag is empty", reply: reply) }
        return trimmed
    }
}
