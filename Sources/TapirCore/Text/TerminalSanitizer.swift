/// Neutralises untrusted text (LLM output, dataset rows) before it is shown in a terminal.
///
/// Nothing that leaves `sanitize` can move the cursor, change colours, set the window title,
/// write to the clipboard (OSC 52) or reorder text visually: control characters become
/// visible Control Pictures (`␛`, `␇`, …), escape sequences collapse into one visible token
/// (`␛[31m`, `␛]52…`), bidi overrides/isolates and invisible format characters become
/// bracketed names (`⟨RLO⟩`), and invalid UTF-8 bytes become `⟨xFF⟩`.
public enum TerminalSanitizer {
    /// What to do with line feeds and tabs, which are legitimate in multi-line text.
    public enum Whitespace: Sendable, Equatable {
        /// Keep the character as is (the view wraps lines / expands tabs itself).
        case keep
        /// Replace it with a visible placeholder (`↵` for line feed, `→` for tab).
        case placeholder
        /// Replace it with a single space.
        case space
    }

    /// Sanitisation options.
    public struct Options: Sendable, Equatable {
        /// Handling of `\n` (and `\r\n`, which is treated as one line feed).
        public var newline: Whitespace
        /// Handling of `\t`.
        public var tab: Whitespace
        /// Longest visible parameter text kept from one escape sequence.
        public var maxSequenceEcho: Int

        public init(newline: Whitespace = .keep, tab: Whitespace = .keep, maxSequenceEcho: Int = 12) {
            self.newline = newline
            self.tab = tab
            self.maxSequenceEcho = maxSequenceEcho
        }

        /// Multi-line text for a text view: keeps `\n` and `\t`.
        public static let multiline = Options()
        /// One table cell or status line: newlines and tabs become visible placeholders.
        public static let singleLine = Options(newline: .placeholder, tab: .space)
    }

    /// Returns `text` with every dangerous character replaced by a visible placeholder.
    public static func sanitize(_ text: String, options: Options = .multiline) -> String {
        if isClean(text, options: options) { return text }
        let scalars = Array(text.unicodeScalars)
        var out = String.UnicodeScalarView()
        out.reserveCapacity(scalars.count + 8)
        var i = 0
        while i < scalars.count {
            let s = scalars[i]
            switch s.value {
            case 0x1B:
                i = consumeEscape(scalars, from: i, options: options, into: &out)
                continue
            case 0x9B, 0x9D, 0x90, 0x98, 0x9E, 0x9F:
                // 8-bit CSI / OSC / DCS / SOS / PM / APC introducers.
                i = consumeC1Sequence(scalars, from: i, options: options, into: &out)
                continue
            case 0x0A:
                appendWhitespace(options.newline, keep: "\n", picture: "↵", into: &out)
            case 0x0D:
                if i + 1 < scalars.count, scalars[i + 1].value == 0x0A {
                    appendWhitespace(options.newline, keep: "\n", picture: "↵", into: &out)
                    i += 1
                } else {
                    out.append(contentsOf: "␍".unicodeScalars)
                }
            case 0x09:
                appendWhitespace(options.tab, keep: "\t", picture: "→", into: &out)
            case 0x00...0x1F:
                out.append(Unicode.Scalar(0x2400 + s.value)!)
            case 0x7F:
                out.append("\u{2421}")
            case 0x80...0x9F:
                out.append(contentsOf: "⟨C1 \(hex(s.value))⟩".unicodeScalars)
            default:
                if let name = invisibleName(s, previous: i > 0 ? scalars[i - 1] : nil) {
                    out.append(contentsOf: "⟨\(name)⟩".unicodeScalars)
                } else {
                    out.append(s)
                }
            }
            i += 1
        }
        return String(out)
    }

    /// Decodes bytes as UTF-8, showing each invalid byte as `⟨xHH⟩`, then sanitises the text.
    public static func sanitize(bytes: some Sequence<UInt8>, options: Options = .multiline) -> String {
        sanitize(decodeUTF8Visibly(Array(bytes)), options: options)
    }

    /// Decodes UTF-8 strictly (no overlongs, no surrogates, nothing above U+10FFFF);
    /// every byte that is not part of a valid sequence becomes `⟨xHH⟩`.
    public static func decodeUTF8Visibly(_ bytes: [UInt8]) -> String {
        var out = String.UnicodeScalarView()
        var i = 0
        while i < bytes.count {
            let b0 = bytes[i]
            if b0 < 0x80 {
                out.append(Unicode.Scalar(b0))
                i += 1
                continue
            }
            var need = 0
            var value: UInt32 = 0
            var minimum: UInt32 = 0
            switch b0 {
            case 0xC2...0xDF: need = 1; value = UInt32(b0 & 0x1F); minimum = 0x80
            case 0xE0...0xEF: need = 2; value = UInt32(b0 & 0x0F); minimum = 0x800
            case 0xF0...0xF4: need = 3; value = UInt32(b0 & 0x07); minimum = 0x10000
            default: need = 0
            }
            var ok = need > 0
            if ok {
                for k in 1...need {
                    guard i + k < bytes.count, bytes[i + k] & 0xC0 == 0x80 else { ok = false; break }
                    value = (value << 6) | UInt32(bytes[i + k] & 0x3F)
                }
            }
            if ok, value >= minimum, let scalar = Unicode.Scalar(value) {
                out.append(scalar)
                i += need + 1
            } else {
                out.append(contentsOf: "⟨x\(hex(UInt32(b0)))⟩".unicodeScalars)
                i += 1
            }
        }
        return String(out)
    }

    // MARK: - Internals

    private static func isClean(_ text: String, options: Options) -> Bool {
        for s in text.unicodeScalars {
            let v = s.value
            if v < 0x20 {
                if v == 0x0A, options.newline == .keep { continue }
                if v == 0x09, options.tab == .keep { continue }
                return false
            }
            if v < 0x7F { continue }
            if v <= 0x9F { return false }
            if v >= 0x200B, invisibleName(s, previous: nil) != nil { return false }
            if v == 0xAD || v == 0x61C || v == 0x180E || v == 0xFEFF || v >= 0xE0000 { return false }
        }
        return true
    }

    private static func appendWhitespace(
        _ mode: Whitespace, keep: Unicode.Scalar, picture: String, into out: inout String.UnicodeScalarView
    ) {
        switch mode {
        case .keep: out.append(keep)
        case .placeholder: out.append(contentsOf: picture.unicodeScalars)
        case .space: out.append(" ")
        }
    }

    /// Consumes an ESC-introduced sequence starting at `start` and appends its visible echo.
    private static func consumeEscape(
        _ s: [Unicode.Scalar], from start: Int, options: Options, into out: inout String.UnicodeScalarView
    ) -> Int {
        var i = start + 1
        guard i < s.count else {
            out.append("␛")
            return i
        }
        let next = s[i].value
        switch next {
        case 0x5B:  // CSI: ESC [ params intermediates final
            i += 1
            var params = ""
            while i < s.count, (0x20...0x3F).contains(s[i].value) {
                params.unicodeScalars.append(s[i])
                i += 1
            }
            var final = ""
            if i < s.count, (0x40...0x7E).contains(s[i].value) {
                final = String(Character(s[i]))
                i += 1
            }
            out.append(contentsOf: ("␛[" + clip(params, options.maxSequenceEcho) + final).unicodeScalars)
            return i
        case 0x5D, 0x50, 0x58, 0x5E, 0x5F:  // OSC, DCS, SOS, PM, APC: string until ST or BEL
            let intro = String(Character(s[i]))
            i += 1
            var head = ""
            while i < s.count, head.unicodeScalars.count < 4,
                (0x30...0x39).contains(s[i].value) || s[i].value == 0x3B
            {
                if s[i].value == 0x3B { break }
                head.unicodeScalars.append(s[i])
                i += 1
            }
            i = skipControlString(s, from: i)
            out.append(contentsOf: ("␛" + intro + head + "…").unicodeScalars)
            return i
        case 0x20...0x2F:  // nF escape: intermediates then final
            var text = ""
            while i < s.count, (0x20...0x2F).contains(s[i].value) {
                text.unicodeScalars.append(s[i])
                i += 1
            }
            if i < s.count, (0x30...0x7E).contains(s[i].value) {
                text.unicodeScalars.append(s[i])
                i += 1
            }
            out.append(contentsOf: ("␛" + text).unicodeScalars)
            return i
        case 0x30...0x7E:  // two-character escape (ESC c, ESC 7, ESC M …)
            out.append(contentsOf: ("␛" + String(Character(s[i]))).unicodeScalars)
            return i + 1
        default:
            out.append("␛")
            return i
        }
    }

    private static func consumeC1Sequence(
        _ s: [Unicode.Scalar], from start: Int, options: Options, into out: inout String.UnicodeScalarView
    ) -> Int {
        let v = s[start].value
        var i = start + 1
        if v == 0x9B {
            while i < s.count, (0x20...0x3F).contains(s[i].value) { i += 1 }
            if i < s.count, (0x40...0x7E).contains(s[i].value) { i += 1 }
            out.append(contentsOf: "⟨CSI⟩".unicodeScalars)
            return i
        }
        i = skipControlString(s, from: i)
        out.append(contentsOf: "⟨C1 \(hex(v))…⟩".unicodeScalars)
        return i
    }

    /// Skips an OSC/DCS-style payload up to and including its terminator (BEL, ESC \, or 8-bit ST).
    /// An unterminated string runs to the end of the text, as a terminal would swallow it.
    private static func skipControlString(_ s: [Unicode.Scalar], from start: Int) -> Int {
        var i = start
        while i < s.count {
            let v = s[i].value
            if v == 0x07 || v == 0x9C { return i + 1 }
            if v == 0x1B {
                if i + 1 < s.count, s[i + 1].value == 0x5C { return i + 2 }
                return i  // a new escape starts; let the caller handle it
            }
            i += 1
        }
        return i
    }

    /// A short visible name for invisible or reordering characters, nil for ordinary ones.
    static func invisibleName(_ s: Unicode.Scalar, previous: Unicode.Scalar?) -> String? {
        switch s.value {
        case 0x00AD: return "SHY"
        case 0x061C: return "ALM"
        case 0x180E: return "MVS"
        case 0x200B: return "ZWSP"
        case 0x200E: return "LRM"
        case 0x200F: return "RLM"
        case 0x2028: return "LS"
        case 0x2029: return "PS"
        case 0x202A: return "LRE"
        case 0x202B: return "RLE"
        case 0x202C: return "PDF"
        case 0x202D: return "LRO"
        case 0x202E: return "RLO"
        case 0x2060: return "WJ"
        case 0x2061...0x2064: return "U+\(hex(s.value))"
        case 0x2066: return "LRI"
        case 0x2067: return "RLI"
        case 0x2068: return "FSI"
        case 0x2069: return "PDI"
        case 0x206A...0x206F: return "U+\(hex(s.value))"
        case 0xFEFF: return "BOM"
        case 0xFFF9...0xFFFB: return "U+\(hex(s.value))"
        case 0xE0000...0xE007F:
            // Tag characters are legitimate only inside emoji flag sequences (🏴 + tags).
            if let p = previous, p.value == 0x1F3F4 || (0xE0020...0xE007E).contains(p.value) { return nil }
            return "U+\(hex(s.value))"
        default: return nil
        }
    }

    private static func clip(_ text: String, _ limit: Int) -> String {
        text.count <= limit ? text : String(text.prefix(limit)) + "…"
    }

    private static func hex(_ v: UInt32) -> String {
        let h = String(v, radix: 16, uppercase: true)
        return h.count < 2 ? "0" + h : h
    }
}
