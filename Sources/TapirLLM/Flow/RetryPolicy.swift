import Foundation

/// Exponential backoff with jitter between attempts of a retryable call.
public struct RetryPolicy: Sendable {
    /// Delay before the second attempt, in seconds (before jitter).
    public var baseDelay: Double
    /// Upper bound of one computed backoff delay.
    public var maxDelay: Double
    /// Upper bound on a server-requested wait (Retry-After, x-ratelimit-reset-*).
    public var maxServerDelay: Double

    public init(baseDelay: Double = 1, maxDelay: Double = 60, maxServerDelay: Double = 300) {
        self.baseDelay = baseDelay
        self.maxDelay = maxDelay
        self.maxServerDelay = maxServerDelay
    }

    public static let standard = RetryPolicy()

    /// Seconds to wait after failed attempt number `attempt` (1-based). A server-requested
    /// wait wins over the computed one; jitter keeps concurrent callers from retrying in step.
    public func delay(afterAttempt attempt: Int, serverDelay: Double?) -> Double {
        if let serverDelay {
            return min(serverDelay, maxServerDelay) * Double.random(in: 1.0...1.1)
        }
        let exponential = min(maxDelay, baseDelay * pow(2, Double(max(0, attempt - 1))))
        return exponential * Double.random(in: 0.5...1.0)
    }

    /// The wait a 429/503 response asks for: `retry-after-ms`, `Retry-After` (seconds or
    /// HTTP date), else the `x-ratelimit-reset-*` of the exhausted budget.
    public static func serverDelay(headers: [String: String], now: Date = Date()) -> Double? {
        if let ms = headers["retry-after-ms"].flatMap(Double.init) { return max(0, ms / 1000) }
        if let value = headers["retry-after"] {
            if let seconds = Double(value.trimmingCharacters(in: .whitespaces)) { return max(0, seconds) }
            let formatter = DateFormatter()
            formatter.locale = Locale(identifier: "en_US_POSIX")
            formatter.timeZone = TimeZone(identifier: "GMT")
            formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
            if let date = formatter.date(from: value) { return max(0, date.timeIntervalSince(now)) }
        }
        var resets: [Double] = []
        for kind in ["requests", "tokens"] {
            guard let reset = headers["x-ratelimit-reset-\(kind)"].flatMap(parseDuration) else { continue }
            let remaining = headers["x-ratelimit-remaining-\(kind)"].flatMap { Int($0) }
            if remaining == 0 { return reset }
            resets.append(reset)
        }
        return resets.max()
    }

    /// Parses Go-style durations as OpenAI sends them: `1s`, `20ms`, `6m0s`, `1h2m3.5s`, or bare seconds.
    public static func parseDuration(_ text: String) -> Double? {
        let text = text.trimmingCharacters(in: .whitespaces)
        if let seconds = Double(text) { return seconds }
        var total = 0.0
        var number = ""
        var index = text.startIndex
        var parsedAny = false
        while index < text.endIndex {
            let character = text[index]
            if character.isNumber || character == "." {
                number.append(character)
                index = text.index(after: index)
                continue
            }
            var unit = String(character)
            index = text.index(after: index)
            if unit == "m", index < text.endIndex, text[index] == "s" {
                unit = "ms"
                index = text.index(after: index)
            }
            guard let value = Double(number) else { return nil }
            switch unit {
            case "h": total += value * 3600
            case "m": total += value * 60
            case "s": total += value
            case "ms": total += value / 1000
            default: return nil
            }
            number = ""
            parsedAny = true
        }
        return parsedAny && number.isEmpty ? total : nil
    }
}
