/// Cutting and wrapping text by display width.
public enum TextLayout {
    /// The longest prefix of `text` that fits in `width` columns.
    public static func truncate(_ text: String, width: Int, ellipsis: String = "…") -> String {
        guard width > 0 else { return "" }
        if DisplayWidth.of(text) <= width { return text }
        let ew = DisplayWidth.of(ellipsis)
        var out = ""
        var used = 0
        for c in text {
            let w = DisplayWidth.of(c)
            if used + w > width - ew { break }
            out.append(c)
            used += w
        }
        return ew <= width ? out + ellipsis : out
    }

    /// `text` padded with spaces (or cut) to exactly `width` columns.
    public static func pad(_ text: String, width: Int, alignment: Alignment = .left) -> String {
        let t = truncate(text, width: width)
        let gap = max(0, width - DisplayWidth.of(t))
        switch alignment {
        case .left: return t + String(repeating: " ", count: gap)
        case .right: return String(repeating: " ", count: gap) + t
        case .center: return String(repeating: " ", count: gap / 2) + t + String(repeating: " ", count: gap - gap / 2)
        }
    }

    /// Expands tabs to the next multiple of `tabWidth` columns.
    public static func expandTabs(_ line: String, tabWidth: Int = 4) -> String {
        guard line.contains("\t") else { return line }
        var out = ""
        var col = 0
        for c in line {
            if c == "\t" {
                let n = tabWidth - col % tabWidth
                out += String(repeating: " ", count: n)
                col += n
            } else {
                out.append(c)
                col += DisplayWidth.of(c)
            }
        }
        return out
    }

    /// Wraps text into lines of at most `width` columns, breaking after spaces where possible
    /// and inside words that are longer than a line. `\n` starts a new line; tabs are expanded.
    public static func wrap(_ text: String, width: Int, tabWidth: Int = 4) -> [String] {
        guard width > 0 else { return [] }
        var lines: [String] = []
        for rawLine in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let line = expandTabs(String(rawLine), tabWidth: tabWidth)
            if DisplayWidth.of(line) <= width {
                lines.append(line)
                continue
            }
            var current = ""
            var currentWidth = 0
            var lastBreak: (index: String.Index, width: Int)? = nil
            for c in line {
                let w = DisplayWidth.of(c)
                if currentWidth + w > width {
                    if let br = lastBreak, br.index < current.endIndex {
                        let head = String(current[..<br.index])
                        let tail = String(current[br.index...])
                        lines.append(head.trimmingTrailingSpaces())
                        current = tail
                        currentWidth -= br.width
                    } else {
                        lines.append(current.trimmingTrailingSpaces())
                        current = ""
                        currentWidth = 0
                    }
                    lastBreak = nil
                    if c == " " && currentWidth == 0 { continue }
                }
                current.append(c)
                currentWidth += w
                if c == " " { lastBreak = (current.endIndex, currentWidth) }
            }
            lines.append(current)
        }
        return lines
    }
}

/// Horizontal alignment inside a column.
public enum Alignment: Sendable, Hashable {
    case left, right, center
}

extension String {
    func trimmingTrailingSpaces() -> String {
        var s = self
        while s.last == " " { s.removeLast() }
        return s
    }
}
