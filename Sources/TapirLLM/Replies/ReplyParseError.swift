/// A model reply that does not hold what the prompt asked for. The engine records it and
/// may ask again.
public struct ReplyParseError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Expected: String, Sendable, Equatable {
        case answerTag = "an <answer>…</answer> tag"
        case scorePair = "a pair of scores"
        case jsonObject = "a JSON object"
    }

    public var expected: Expected
    /// What was wrong.
    public var reason: String
    /// The start of the reply (control characters removed).
    public var snippet: String

    public init(expected: Expected, reason: String, reply: String) {
        self.expected = expected
        self.reason = reason
        let cleaned = String(reply.unicodeScalars.map { $0.properties.generalCategory == .control ? " " : Character($0) })
        self.snippet = cleaned.count > 160 ? String(cleaned.prefix(160)) + "…" : cleaned
    }

    public var description: String {
        "expected \(expected.rawValue) in the reply: \(reason) — reply: \(snippet)"
    }
}
