import Foundation

/// Removes secrets from text before it reaches an error, a log line or the database:
/// the known secret values (API keys, header values taken from the environment), any
/// `Authorization`/`api-key` header value, bearer tokens and `sk-…` style keys.
public struct Redactor: Sendable {
    public static let mask = "[REDACTED]"

    private let secrets: [String]

    /// - Parameter secrets: exact values to hide wherever they appear (empty strings are ignored).
    public init(secrets: [String] = []) {
        self.secrets = secrets.filter { $0.count >= 4 }.sorted { $0.count > $1.count }
    }

    private static let patterns: [NSRegularExpression] = [
        #"(?i)(authorization|proxy-authorization|x-api-key|api-key)(\s*["']?\s*[:=]\s*["']?)(bearer\s+|basic\s+)?[^\s"',}]+"#,
        #"(?i)bearer\s+[A-Za-z0-9._~+/=-]{8,}"#,
        #"\bsk-[A-Za-z0-9_-]{8,}"#,
    ].map { try! NSRegularExpression(pattern: $0) }

    /// Returns `text` with every secret replaced by `[REDACTED]`.
    public func redact(_ text: String) -> String {
        var result = text
        for secret in secrets where result.contains(secret) {
            result = result.replacingOccurrences(of: secret, with: Self.mask)
        }
        for (index, pattern) in Self.patterns.enumerated() {
            let range = NSRange(result.startIndex..., in: result)
            let template = index == 0 ? "$1$2\(Self.mask)" : Self.mask
            result = pattern.stringByReplacingMatches(in: result, range: range, withTemplate: template)
        }
        return result
    }

    /// A redacted, single-line snippet of at most `limit` characters of a response body.
    public func snippet(of body: Data, limit: Int = 240) -> String {
        let text = String(decoding: body.prefix(limit * 4), as: UTF8.self)
        let flattened = text.split(whereSeparator: \.isNewline).joined(separator: " ")
            .trimmingCharacters(in: .whitespaces)
        let redacted = redact(flattened)
        return redacted.count > limit ? String(redacted.prefix(limit)) + "…" : redacted
    }
}
