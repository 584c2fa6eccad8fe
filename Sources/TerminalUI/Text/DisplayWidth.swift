/// Terminal column widths of grapheme clusters and strings.
///
/// Rules: East Asian Wide/Fullwidth scalars and emoji with emoji presentation take two
/// columns; a text-default emoji followed by VS16 (U+FE0F) takes two, one followed by VS15
/// takes one; a ZWJ sequence or a pair of regional indicators is one two-column glyph;
/// combining marks, joiners, variation selectors and other format characters add nothing;
/// everything else (including East Asian Ambiguous) takes one column.
public enum DisplayWidth {
    /// Columns taken by one grapheme cluster (0, 1 or 2). Controls count 0.
    public static func of(_ character: Character) -> Int {
        let scalars = character.unicodeScalars
        guard let first = scalars.first else { return 0 }
        if scalars.count == 1 { return scalarWidth(first) }
        var hasZWJ = false, vs16 = false, vs15 = false
        var regionalIndicators = 0
        var emojiScalars = 0
        for s in scalars {
            switch s.value {
            case 0x200D: hasZWJ = true
            case 0xFE0F: vs16 = true
            case 0xFE0E: vs15 = true
            case 0x1F1E6...0x1F1FF: regionalIndicators += 1
            default: if s.properties.isEmoji && s.value > 0xFF { emojiScalars += 1 }
            }
        }
        if regionalIndicators >= 2 { return 2 }
        if vs15 && first.properties.isEmoji && !first.properties.isEmojiPresentation { return 1 }
        if vs16 && first.properties.isEmoji { return 2 }
        if hasZWJ && emojiScalars >= 2 { return 2 }
        // Skin-tone modifiers, keycaps and combining marks ride on the base.
        let base = scalarWidth(first)
        if base == 0 {
            // A cluster starting with a zero-width scalar (e.g. a lone combining mark):
            // its width is the first scalar that has one.
            for s in scalars.dropFirst() {
                let w = scalarWidth(s)
                if w > 0 { return w }
            }
        }
        return base
    }

    /// Columns taken by a string, summed over its grapheme clusters.
    public static func of(_ text: some StringProtocol) -> Int {
        var total = 0
        for c in text {
            if c.isASCII, let v = c.asciiValue { total += (v >= 0x20 && v < 0x7F) ? 1 : 0 }
            else { total += of(c) }
        }
        return total
    }

    /// Columns taken by one scalar on its own.
    public static func scalarWidth(_ s: Unicode.Scalar) -> Int {
        let v = s.value
        if v < 0x20 || (0x7F...0x9F).contains(v) { return 0 }
        if v < 0x300 { return 1 }
        if isPrependedConcatenationMark(v) { return 1 }
        if (0x1F1E6...0x1F1FF).contains(v) { return 1 }  // a lone regional indicator; pairs are flags (2)
        if isZeroWidth(s) { return 0 }
        if isWide(v) { return 2 }
        if v >= 0x2300, s.properties.isEmojiPresentation { return 2 }
        return 1
    }

    /// Combining marks, joiners, variation selectors and default-ignorable format characters.
    static func isZeroWidth(_ s: Unicode.Scalar) -> Bool {
        let v = s.value
        if (0x1160...0x11FF).contains(v) || (0xD7B0...0xD7FF).contains(v) { return true }  // Hangul medial/final jamo
        if (0xFE00...0xFE0F).contains(v) || (0xE0100...0xE01EF).contains(v) { return true }
        if (0xE0000...0xE007F).contains(v) { return true }
        switch s.properties.generalCategory {
        case .nonspacingMark, .enclosingMark, .format: return true
        default: return false
        }
    }

    /// Format characters that are drawn (they span the following digits), e.g. U+0600.
    private static func isPrependedConcatenationMark(_ v: UInt32) -> Bool {
        (0x0600...0x0605).contains(v) || v == 0x06DD || v == 0x070F || v == 0x0890 || v == 0x0891
            || v == 0x08E2 || v == 0x110BD || v == 0x110CD
    }

    /// East Asian Wide (W) and Fullwidth (F) ranges outside the emoji blocks.
    private static let wideRanges: [ClosedRange<UInt32>] = [
        0x1100...0x115F, 0x231A...0x231B, 0x2329...0x232A, 0x23E9...0x23EC, 0x23F0...0x23F0,
        0x23F3...0x23F3, 0x25FD...0x25FE, 0x2614...0x2615, 0x2648...0x2653, 0x267F...0x267F,
        0x2693...0x2693, 0x26A1...0x26A1, 0x26AA...0x26AB, 0x26BD...0x26BE, 0x26C4...0x26C5,
        0x26CE...0x26CE, 0x26D4...0x26D4, 0x26EA...0x26EA, 0x26F2...0x26F3, 0x26F5...0x26F5,
        0x26FA...0x26FA, 0x26FD...0x26FD, 0x2705...0x2705, 0x270A...0x270B, 0x2728...0x2728,
        0x274C...0x274C, 0x274E...0x274E, 0x2753...0x2755, 0x2757...0x2757, 0x2795...0x2797,
        0x27B0...0x27B0, 0x27BF...0x27BF, 0x2B1B...0x2B1C, 0x2B50...0x2B50, 0x2B55...0x2B55,
        0x2E80...0x303E, 0x3041...0x33FF, 0x3400...0x4DBF, 0x4DC0...0x4DFF, 0x4E00...0x9FFF, 0xA000...0xA4CF,
        0xA960...0xA97F, 0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE10...0xFE19, 0xFE30...0xFE6F,
        0xFF00...0xFF60, 0xFFE0...0xFFE6, 0x16FE0...0x16FE4, 0x16FF0...0x16FF1, 0x17000...0x18CD5,
        0x18D00...0x18D08, 0x1AFF0...0x1B2FF, 0x1F004...0x1F004, 0x1F0CF...0x1F0CF,
        0x1F18E...0x1F18E, 0x1F191...0x1F19A, 0x1F200...0x1F202, 0x1F210...0x1F23B,
        0x1F240...0x1F248, 0x1F250...0x1F251, 0x1F260...0x1F265, 0x20000...0x2FFFD,
        0x30000...0x3FFFD,
    ]

    private static func isWide(_ v: UInt32) -> Bool {
        if v < 0x1100 { return false }
        var lo = 0, hi = wideRanges.count - 1
        while lo <= hi {
            let mid = (lo + hi) / 2
            let r = wideRanges[mid]
            if v < r.lowerBound { hi = mid - 1 } else if v > r.upperBound { lo = mid + 1 } else { return true }
        }
        return false
    }
}
