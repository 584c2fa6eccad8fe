/// A terminal colour: the terminal's default, or an xterm 256-colour palette index
/// (0–15 are the 16 ANSI colours).
public enum Color: Hashable, Sendable, CustomStringConvertible {
    case `default`
    case indexed(UInt8)

    public static let black = Color.indexed(0), red = Color.indexed(1), green = Color.indexed(2)
    public static let yellow = Color.indexed(3), blue = Color.indexed(4), magenta = Color.indexed(5)
    public static let cyan = Color.indexed(6), white = Color.indexed(7)
    public static let brightBlack = Color.indexed(8), brightRed = Color.indexed(9)
    public static let brightGreen = Color.indexed(10), brightYellow = Color.indexed(11)
    public static let brightBlue = Color.indexed(12), brightMagenta = Color.indexed(13)
    public static let brightCyan = Color.indexed(14), brightWhite = Color.indexed(15)

    /// Names accepted in theme files for indices 0–15.
    public static let names: [String] = [
        "black", "red", "green", "yellow", "blue", "magenta", "cyan", "white",
        "bright-black", "bright-red", "bright-green", "bright-yellow",
        "bright-blue", "bright-magenta", "bright-cyan", "bright-white",
    ]

    public var description: String {
        switch self {
        case .default: return "default"
        case .indexed(let i): return i < 16 ? Color.names[Int(i)] : String(i)
        }
    }

    /// Parses `default`, a colour name (`red`, `bright-blue`, `grey` = bright-black),
    /// a palette index `0`…`255`, or `#rrggbb` (mapped to the nearest palette entry).
    public init?(parsing text: String) {
        let t = text.lowercased()
        if t == "default" || t == "none" { self = .default; return }
        if t == "grey" || t == "gray" { self = .brightBlack; return }
        if let i = Color.names.firstIndex(of: t) { self = .indexed(UInt8(i)); return }
        if let n = Int(t), (0...255).contains(n) { self = .indexed(UInt8(n)); return }
        if t.hasPrefix("#"), t.count == 7, let v = Int(t.dropFirst(), radix: 16) {
            self = Color.nearest(r: (v >> 16) & 0xFF, g: (v >> 8) & 0xFF, b: v & 0xFF)
            return
        }
        return nil
    }

    /// The approximate RGB value of a palette index (xterm defaults).
    public static func rgb(ofIndex index: UInt8) -> (r: Int, g: Int, b: Int) {
        let i = Int(index)
        if i < 16 {
            let table: [(Int, Int, Int)] = [
                (0, 0, 0), (205, 0, 0), (0, 205, 0), (205, 205, 0), (0, 0, 238), (205, 0, 205),
                (0, 205, 205), (229, 229, 229), (127, 127, 127), (255, 0, 0), (0, 255, 0),
                (255, 255, 0), (92, 92, 255), (255, 0, 255), (0, 255, 255), (255, 255, 255),
            ]
            return table[i]
        }
        if i < 232 {
            let c = i - 16
            let level = { (n: Int) in n == 0 ? 0 : 55 + n * 40 }
            return (level(c / 36), level((c / 6) % 6), level(c % 6))
        }
        let g = 8 + (i - 232) * 10
        return (g, g, g)
    }

    /// The palette index (16–255) closest to an RGB value.
    public static func nearest(r: Int, g: Int, b: Int) -> Color {
        nearest(r: r, g: g, b: b, in: 16...255)
    }

    /// This colour reduced to the 16 ANSI colours (the nearest by RGB distance).
    public var sixteenColor: Color {
        guard case .indexed(let i) = self, i >= 16 else { return self }
        let (r, g, b) = Color.rgb(ofIndex: i)
        return Color.nearest(r: r, g: g, b: b, in: 0...15)
    }

    private static func nearest(r: Int, g: Int, b: Int, in range: ClosedRange<Int>) -> Color {
        var best = range.lowerBound
        var bestDistance = Int.max
        for i in range {
            let c = rgb(ofIndex: UInt8(i))
            let d = (c.r - r) * (c.r - r) * 3 + (c.g - g) * (c.g - g) * 4 + (c.b - b) * (c.b - b) * 2
            if d < bestDistance { bestDistance = d; best = i }
        }
        return .indexed(UInt8(best))
    }
}

/// How many colours the terminal can show.
public enum ColorDepth: Int, Sendable, Comparable {
    /// No colours (`NO_COLOR`, or a monochrome terminal): attributes only.
    case none = 0
    /// The 16 ANSI colours.
    case sixteen = 16
    /// The xterm 256-colour palette.
    case ansi256 = 256

    public static func < (a: ColorDepth, b: ColorDepth) -> Bool { a.rawValue < b.rawValue }

    /// The depth to use given the terminal's colour count and the environment (`NO_COLOR`).
    public static func detect(terminalColors: Int, environment: [String: String]) -> ColorDepth {
        if let v = environment["NO_COLOR"], !v.isEmpty { return .none }
        if terminalColors >= 256 { return .ansi256 }
        if terminalColors >= 8 { return .sixteen }
        return .none
    }
}
