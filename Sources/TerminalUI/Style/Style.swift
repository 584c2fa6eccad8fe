/// Text attributes that terminals render without colour.
public struct TextAttributes: OptionSet, Hashable, Sendable {
    public let rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    public static let bold = TextAttributes(rawValue: 1 << 0)
    public static let dim = TextAttributes(rawValue: 1 << 1)
    public static let italic = TextAttributes(rawValue: 1 << 2)
    public static let underline = TextAttributes(rawValue: 1 << 3)
    public static let reverse = TextAttributes(rawValue: 1 << 4)

    /// Attribute names accepted in theme files.
    public static let named: [(String, TextAttributes)] = [
        ("bold", .bold), ("dim", .dim), ("italic", .italic), ("underline", .underline), ("reverse", .reverse),
    ]
}

/// Foreground, background and attributes of a cell.
public struct Style: Hashable, Sendable, CustomStringConvertible {
    public var foreground: Color
    public var background: Color
    public var attributes: TextAttributes

    public init(foreground: Color = .default, background: Color = .default, attributes: TextAttributes = []) {
        self.foreground = foreground
        self.background = background
        self.attributes = attributes
    }

    /// The terminal's default colours, no attributes.
    public static let plain = Style()

    /// This style with extra attributes.
    public func with(_ extra: TextAttributes) -> Style {
        var s = self
        s.attributes.formUnion(extra)
        return s
    }

    /// This style with another background.
    public func on(_ background: Color) -> Style {
        var s = self
        s.background = background
        return s
    }

    /// This style reduced to what a terminal of `depth` can show.
    public func adapted(to depth: ColorDepth) -> Style {
        switch depth {
        case .ansi256: return self
        case .sixteen:
            return Style(foreground: foreground.sixteenColor, background: background.sixteenColor, attributes: attributes)
        case .none: return Style(attributes: attributes)
        }
    }

    /// Theme-file form: `fg on bg attr…` (e.g. `231 on 24 bold`).
    public var description: String {
        var parts = [foreground.description]
        if background != .default { parts += ["on", background.description] }
        for (name, a) in TextAttributes.named where attributes.contains(a) { parts.append(name) }
        return parts.joined(separator: " ")
    }
}
