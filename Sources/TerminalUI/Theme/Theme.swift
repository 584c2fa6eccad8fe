import Foundation

/// Named styles for every `ThemeKey` plus a colour ramp for charts.
///
/// Theme files are plain text, one `key = value` per line, `#` starts a comment:
/// ```
/// name = default
/// text = 252 on 234
/// selection = 231 on 25 bold
/// chart-ramp = 24, 30, 36, 72, 108
/// ```
/// A style value is `FG [on BG] [bold|dim|italic|underline|reverse …]`, colours being
/// `default`, a name (`red`, `bright-cyan`), `0`–`255` or `#rrggbb`. Keys missing from a
/// file fall back to the built-in default theme.
public struct Theme: Sendable, Equatable {
    public var name: String
    public var styles: [ThemeKey: Style]
    /// Colours for multi-series charts, from low to high.
    public var chartRamp: [Color]

    public init(name: String, styles: [ThemeKey: Style], chartRamp: [Color]) {
        self.name = name
        self.styles = styles
        self.chartRamp = chartRamp
    }

    /// The style for a role (the default theme's if this theme lacks it).
    public subscript(key: ThemeKey) -> Style { styles[key] ?? Theme.builtinDefault.styles[key] ?? .plain }

    /// The ramp colour for position `i` of `count` (cycling when the ramp is short).
    public func rampColor(_ i: Int) -> Color {
        let ramp = chartRamp.isEmpty ? Theme.builtinDefault.chartRamp : chartRamp
        return ramp[((i % ramp.count) + ramp.count) % ramp.count]
    }

    /// This theme reduced to what a terminal of `depth` can show. Without colour, roles
    /// that are told apart by background (selection, bars, active tab) become reverse video.
    public func adapted(to depth: ColorDepth) -> Theme {
        var t = self
        for key in ThemeKey.allCases {
            var s = self[key].adapted(to: depth)
            if depth == .none {
                switch key {
                case .selection, .statusBar, .tabActive, .histogramTeacher, .input: s.attributes.insert(.reverse)
                case .title, .accent, .bad, .deltaLine, .statusBarAccent: s.attributes.insert(.bold)
                case .muted, .border: s.attributes.insert(.dim)
                default: break
                }
            }
            t.styles[key] = s
        }
        t.chartRamp = chartRamp.map { Style(foreground: $0).adapted(to: depth).foreground }
        return t
    }

    // MARK: - Parsing

    /// Parses a theme file's text. Missing keys come from `base` (the built-in default).
    /// - Throws: `ThemeError` naming the first bad line.
    public static func parse(_ text: String, source: String, base: Theme = .builtinDefault) throws(ThemeError) -> Theme {
        var theme = base
        theme.name = (source as NSString).lastPathComponent.replacingOccurrences(of: ".theme", with: "")
        var seen: [String: Int] = [:]
        for (index, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let lineNumber = index + 1
            var line = Substring(rawLine)
            var search = line.startIndex
            while let hash = line[search...].firstIndex(of: "#") {
                if isColorHash(line, at: hash) { search = line.index(after: hash); continue }
                line = line[..<hash]
                break
            }
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty { continue }
            guard let eq = trimmed.firstIndex(of: "=") else {
                throw ThemeError(source: source, line: lineNumber, reason: "expected `key = value`, found `\(trimmed)`")
            }
            let key = trimmed[..<eq].trimmingCharacters(in: .whitespaces).lowercased()
            let value = trimmed[trimmed.index(after: eq)...].trimmingCharacters(in: .whitespaces)
            if let first = seen[key] {
                throw ThemeError(source: source, line: lineNumber, reason: "`\(key)` is already set on line \(first)")
            }
            seen[key] = lineNumber
            switch key {
            case "name":
                guard !value.isEmpty else { throw ThemeError(source: source, line: lineNumber, reason: "`name` needs a value") }
                theme.name = value
            case "chart-ramp":
                var ramp: [Color] = []
                for part in value.split(separator: ",") {
                    let p = part.trimmingCharacters(in: .whitespaces)
                    guard let c = Color(parsing: p), c != .default else {
                        throw ThemeError(source: source, line: lineNumber, reason: "`\(p)` in chart-ramp is not a colour (use a name, 0–255 or #rrggbb)")
                    }
                    ramp.append(c)
                }
                guard !ramp.isEmpty else { throw ThemeError(source: source, line: lineNumber, reason: "chart-ramp needs at least one colour") }
                theme.chartRamp = ramp
            default:
                guard let themeKey = ThemeKey(rawValue: key) else {
                    let known = (ThemeKey.allCases.map(\.rawValue) + ["name", "chart-ramp"]).joined(separator: ", ")
                    throw ThemeError(source: source, line: lineNumber, reason: "unknown key `\(key)`; known keys: \(known)")
                }
                do {
                    theme.styles[themeKey] = try parseStyle(value)
                } catch {
                    throw ThemeError(source: source, line: lineNumber, reason: "\(key): \(error.reason)")
                }
            }
        }
        return theme
    }

    /// Loads and parses a theme file.
    public static func load(path: String, base: Theme = .builtinDefault) throws(ThemeError) -> Theme {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ThemeError(source: path, line: 0, reason: "cannot read the file (check the path and permissions)")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw ThemeError(source: path, line: 0, reason: "the file is not valid UTF-8")
        }
        return try parse(text, source: path, base: base)
    }

    /// Parses `FG [on BG] [attributes…]`.
    public static func parseStyle(_ value: String) throws(ThemeError) -> Style {
        let words = value.split(whereSeparator: { $0 == " " || $0 == "\t" }).map { $0.lowercased() }
        guard !words.isEmpty else { throw ThemeError(source: "", line: 0, reason: "empty style; write e.g. `252 on 234 bold`") }
        var style = Style()
        var i = 0
        if let fg = Color(parsing: words[0]) {
            style.foreground = fg
            i = 1
        }
        while i < words.count {
            let w = words[i]
            if w == "on" {
                guard i + 1 < words.count, let bg = Color(parsing: words[i + 1]) else {
                    throw ThemeError(source: "", line: 0, reason: "`on` must be followed by a colour")
                }
                style.background = bg
                i += 2
                continue
            }
            guard let attr = TextAttributes.named.first(where: { $0.0 == w })?.1 else {
                throw ThemeError(source: "", line: 0, reason: "`\(w)` is neither a colour (name, 0–255, #rrggbb) nor an attribute (bold, dim, italic, underline, reverse)")
            }
            style.attributes.insert(attr)
            i += 1
        }
        return style
    }

    /// The theme as file text (round-trips through `parse`).
    public func serialized() -> String {
        var lines = ["name = \(name)"]
        for key in ThemeKey.allCases { lines.append("\(key.rawValue) = \(self[key])") }
        lines.append("chart-ramp = " + chartRamp.map(\.description).joined(separator: ", "))
        return lines.joined(separator: "\n") + "\n"
    }

    private static func isColorHash(_ line: Substring, at index: Substring.Index) -> Bool {
        let rest = line[line.index(after: index)...]
        return rest.prefix(6).count == 6 && rest.prefix(6).allSatisfy(\.isHexDigit) && line[..<index].contains("=")
    }
}
