import Foundation

/// Small number formats shared by the screens.
enum Format {
    static func percent(_ v: Double?) -> String { v.map { String(format: "%.0f%%", $0 * 100) } ?? "–" }
    static func percent1(_ v: Double?) -> String { v.map { String(format: "%.1f%%", $0 * 100) } ?? "–" }
    static func money(_ v: Double?) -> String { v.map { String(format: "$%.2f", $0) } ?? "–" }
    static func fixed2(_ v: Double?) -> String { v.map { String(format: "%.2f", $0) } ?? "–" }
    static func count(_ v: Int?) -> String { v.map(String.init) ?? "–" }

    /// `42s`, `3m05s`, `2h10m`.
    static func duration(_ seconds: Double?) -> String {
        guard let s = seconds, s.isFinite, s >= 0 else { return "–" }
        let t = Int(s.rounded())
        if t < 60 { return "\(t)s" }
        if t < 3600 { return String(format: "%dm%02ds", t / 60, t % 60) }
        return String(format: "%dh%02dm", t / 3600, (t % 3600) / 60)
    }

    static let clock: DateFormatter = {
        let f = DateFormatter()
        f.dateFormat = "HH:mm:ss"
        f.timeZone = TimeZone(identifier: "UTC")
        return f
    }()
}
