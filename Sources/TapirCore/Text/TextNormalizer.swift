import Foundation

/// Canonical form of instruction text for duplicate detection.
///
/// Normalisation: Unicode compatibility composition (NFKC: full-width letters, ligatures and
/// other compatibility forms fold to their plain form), lowercase, invisible format characters
/// (zero-width space, BOM …) and control characters removed, every run of white space collapsed
/// to one space, leading and trailing space trimmed. Two texts that differ only in these
/// respects have the same `normalize` result and the same `normalizedHash`.
public enum TextNormalizer {
    /// The normalised form of `text`.
    public static func normalize(_ text: String) -> String {
        if text.utf8.allSatisfy({ $0 < 0x80 }) { return normalizeASCII(text) }
        let folded = text.precomposedStringWithCompatibilityMapping.lowercased()
        var scalars = String.UnicodeScalarView()
        var pendingSpace = false
        for scalar in folded.unicodeScalars {
            if scalar.properties.isWhitespace {
                pendingSpace = true
                continue
            }
            switch scalar.properties.generalCategory {
            case .format, .control:
                continue
            default:
                break
            }
            if pendingSpace, !scalars.isEmpty { scalars.append(" ") }
            pendingSpace = false
            scalars.append(scalar)
        }
        return String(scalars)
    }

    /// Same result as the general path for pure-ASCII text (NFKC is the identity there), ~20× faster.
    private static func normalizeASCII(_ text: String) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(text.utf8.count)
        var pendingSpace = false
        for byte in text.utf8 {
            switch byte {
            case 0x09...0x0D, 0x20:
                pendingSpace = true
                continue
            case 0x00...0x1F, 0x7F:
                continue
            case UInt8(ascii: "A")...UInt8(ascii: "Z"):
                if pendingSpace, !out.isEmpty { out.append(0x20) }
                out.append(byte + 32)
            default:
                if pendingSpace, !out.isEmpty { out.append(0x20) }
                out.append(byte)
            }
            pendingSpace = false
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Lowercase hex SHA-256 of the normalised text: stable across runs, machines and versions,
    /// so it can be stored and compared in the database.
    public static func normalizedHash(_ text: String) -> String {
        SHA256.hexDigest(of: normalize(text))
    }

    /// The word tokens of the normalised text (see `WordTokenizer`).
    public static func tokens(_ text: String) -> [String] {
        WordTokenizer.tokens(normalize(text))
    }
}
