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
