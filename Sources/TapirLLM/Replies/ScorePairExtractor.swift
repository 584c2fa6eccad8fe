import Foundation

/// Extracts the two scores of a pairwise judgement ("Assistant 1: 7, Assistant 2: 4",
/// "[[7, 4]]", "7 4" on the first line, or JSON `{"scores": [7, 4]}`).
public enum ScorePairExtractor {
    /// Both scores, each within `range`. Throws `ReplyParseError`.
    public static func extract(from reply: String, range: ClosedRange<Double> = 1...10) throws -> (Double, Double) {
        let candidates = [jsonScores, bracketScores, labelledScores, firstLineScores]
        for candidate in candidates {
            if let pair = candidate(reply) {
                guard range.contains(pair.0), range.contains(pair.1) else {
                    throw ReplyParseError(expected: .scorePair,
                                          reason: "scores \(format(pair.0)) and \(format(pair.1)) are outside \(format(range.lowerBound))–\(format(range.upperBound))",
                                          reply: reply)
                }
                return pair
            }
        }
        throw ReplyParseError(expected: .scorePair, reason: "no two scores found", reply: reply)
    }

    private static let number = #"(-?\d+(?:\.\d+)?)"#

    // Compiled once: compiling them for every judge reply was a visible share of a round.
    // `NSRegularExpression` is immutable and safe to use from several threads.
    nonisolated(unsafe) private static let bracketPattern = try? NSRegularExpression(
        pattern: #"\[\[\s*"# + number + #"\s*,\s*"# + number + #"\s*\]\]"#)
    nonisolated(unsafe) private static let firstLabelPattern = try? NSRegularExpression(
        pattern: #"(?i)assistant\s*(?:1|a)\b[*\s]*(?:score)?[*\s]*[:=]?[*\s]*"# + number)
    nonisolated(unsafe) private static let secondLabelPattern = try? NSRegularExpression(
        pattern: #"(?i)assistant\s*(?:2|b)\b[*\s]*(?:score)?[*\s]*[:=]?[*\s]*"# + number)
    nonisolated(unsafe) private static let firstLinePattern = try? NSRegularExpression(
        pattern: #"^\s*"# + number + #"\s*(?:[,;/]\s*|\s+)"# + number + #"\s*$"#)

    private static func jsonScores(_ reply: String) -> (Double, Double)? {
        guard let object = try? JSONObjectExtractor.extract(from: reply),
              let scores = (object["scores"] ?? object["score"])?.array, scores.count == 2,
              let first = scores[0].number, let second = scores[1].number else { return nil }
        return (first, second)
    }

    private static func bracketScores(_ reply: String) -> (Double, Double)? {
        match(bracketPattern, in: reply, last: true)
    }

    private static func labelledScores(_ reply: String) -> (Double, Double)? {
        let first = match(firstLabelPattern, in: reply, last: true)
        let second = match(secondLabelPattern, in: reply, last: true)
        guard let first, let second else { return nil }
        return (first.0, second.0)
    }

    private static func firstLineScores(_ reply: String) -> (Double, Double)? {
        guard let line = reply.split(whereSeparator: \.isNewline).first(where: { !$0.trimmingCharacters(in: .whitespaces).isEmpty }) else { return nil }
        return match(firstLinePattern, in: String(line), last: false)
    }

    /// The first (or last) match's first two numeric groups (the second defaults to the first).
    private static func match(_ regex: NSRegularExpression?, in text: String, last: Bool) -> (Double, Double)? {
        guard let regex else { return nil }
        let matches = regex.matches(in: text, range: NSRange(text.startIndex..., in: text))
        guard let found = last ? matches.last : matches.first else { return nil }
        func group(_ index: Int) -> Double? {
            guard index < found.numberOfRanges, let range = Range(found.range(at: index), in: text) else { return nil }
            return Double(text[range])
        }
        guard let first = group(1) else { return nil }
        return (first, group(2) ?? first)
    }

    private static func format(_ value: Double) -> String {
        value == value.rounded() ? String(Int(value)) : String(value)
    }
}
