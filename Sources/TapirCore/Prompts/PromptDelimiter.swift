/// Wraps untrusted text so that it cannot end its block or open a new one.
///
/// A block is `<<<LABEL`, a newline, the text, a newline and `>>>`. Inside the text, no run of
/// three identical angle brackets survives: a backslash is put before every third `<` or `>`
/// in a row (`>>>` becomes `>>\>`), so neither `>>>` nor `<<<` can appear inside a block.
public enum PromptDelimiter {
    /// The block for `text` under `label`.
    public static func wrap(_ text: String, label: String) -> String {
        "<<<\(label)\n\(escape(text))\n>>>"
    }

    /// `text` with every third consecutive `<` or `>` preceded by a backslash.
    public static func escape(_ text: String) -> String {
        var out = String.UnicodeScalarView()
        var runCharacter: Unicode.Scalar?
        var runLength = 0
        for scalar in text.unicodeScalars {
            if scalar == "<" || scalar == ">" {
                if scalar == runCharacter {
                    runLength += 1
                } else {
                    runCharacter = scalar
                    runLength = 1
                }
                if runLength == 3 {
                    out.append("\\")
                    runLength = 1
                }
            } else {
                runCharacter = nil
                runLength = 0
            }
            out.append(scalar)
        }
        return String(out)
    }
}
