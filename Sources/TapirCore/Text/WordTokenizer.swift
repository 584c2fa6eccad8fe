/// Splits text into word tokens for similarity measures.
///
/// A token is a maximal run of letters, digits and combining marks. Punctuation, symbols and
/// white space separate tokens and are dropped. Characters of scripts written without spaces
/// (Han ideographs, Hiragana, Katakana) each form a token of their own. The tokenizer does
/// not change case: feed it `TextNormalizer.normalize` output for case-insensitive tokens.
public enum WordTokenizer {
    /// The tokens of `text`, in order.
    public static func tokens(_ text: String) -> [String] {
        if text.utf8.allSatisfy({ $0 < 0x80 }) { return asciiTokens(text) }
        var tokens: [String] = []
        var current = String.UnicodeScalarView()
        func flush() {
            if !current.isEmpty {
                tokens.append(String(current))
                current = String.UnicodeScalarView()
            }
        }
        for scalar in text.unicodeScalars {
            if isSingleCharacterWord(scalar) {
                flush()
                tokens.append(String(scalar))
            } else if isWordScalar(scalar) {
                current.append(scalar)
            } else if scalar.properties.generalCategory == .nonspacingMark
                || scalar.properties.generalCategory == .spacingMark
                || scalar.properties.generalCategory == .enclosingMark
            {
                // A combining mark belongs to the preceding token (or is dropped at a boundary).
                if !current.isEmpty {
                    current.append(scalar)
                } else if let last = tokens.last, !last.isEmpty {
                    tokens[tokens.count - 1] = last + String(scalar)
                }
            } else {
                flush()
            }
        }
        flush()
        return tokens
    }

    private static func asciiTokens(_ text: String) -> [String] {
        var tokens: [String] = []
        var utf8 = Array(text.utf8)
        var start = -1
        utf8.append(0x20)  // sentinel separator flushes the last token
        for (i, byte) in utf8.enumerated() {
            let isWord = (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
            if isWord {
                if start < 0 { start = i }
            } else if start >= 0 {
                tokens.append(String(decoding: utf8[start..<i], as: UTF8.self))
                start = -1
            }
        }
        return tokens
    }

    /// True for characters of scripts written without spaces between words.
    static func isSingleCharacterWord(_ scalar: Unicode.Scalar) -> Bool {
        if scalar.properties.isIdeographic { return true }
        switch scalar.value {
        case 0x3040...0x309F,  // Hiragana
            0x30A0...0x30FF,  // Katakana
            0x31F0...0x31FF,  // Katakana phonetic extensions
            0xFF66...0xFF9F:  // half-width Katakana
            return scalar.value != 0x30FC && scalar.value != 0x30FB  // ー and ・ are not words
        default:
            return false
        }
    }

    static func isWordScalar(_ scalar: Unicode.Scalar) -> Bool {
        let properties = scalar.properties
        if properties.isAlphabetic { return true }
        switch properties.generalCategory {
        case .decimalNumber, .letterNumber, .otherNumber:
            return true
        default:
            return false
        }
    }
}
