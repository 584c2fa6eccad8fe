import Foundation

/// Expands `{placeholder}`s in a trainer command so that each substituted value reaches the
/// program as exactly the text it is, whatever characters it holds.
///
/// The template is scanned with the shell's quoting rules: a placeholder outside quotes
/// becomes a single-quoted word; inside single quotes (`'{data}'`, as the example configs
/// write it) only embedded `'` are escaped; inside double quotes `\`, `"`, `$` and `` ` ``
/// are escaped. A `$(…)` command substitution starts a fresh quoting context. Unknown
/// `{names}` (and `${VAR}`) are left as they are.
public enum TrainerCommandTemplate {
    private enum Context { case plain, double, substitution }

    /// `template` with every placeholder named in `values` replaced, quoted for `/bin/sh`.
    public static func shellExpand(_ template: String, values: [String: String]) -> String {
        let chars = Array(template)
        var output = ""
        var stack: [Context] = [.plain]
        var inSingle = false
        var i = 0
        while i < chars.count {
            let c = chars[i]
            if inSingle {
                if c == "'" {
                    inSingle = false
                } else if c == "{", let (name, end) = placeholder(chars, at: i, values: values) {
                    output += values[name]!.replacingOccurrences(of: "'", with: #"'\''"#)
                    i = end
                    continue
                }
                output.append(c)
                i += 1
                continue
            }
            let context = stack.last ?? .plain
            switch c {
            case "\\":
                output.append(c)
                if i + 1 < chars.count { output.append(chars[i + 1]) }
                i += 2
                continue
            case "'" where context != .double:
                inSingle = true
            case "\"":
                if context == .double { stack.removeLast() } else { stack.append(.double) }
            case "$" where i + 1 < chars.count && chars[i + 1] == "(":
                stack.append(.substitution)
                output += "$("
                i += 2
                continue
            case ")" where context == .substitution:
                stack.removeLast()
            case "{":
                if let (name, end) = placeholder(chars, at: i, values: values), !(i > 0 && chars[i - 1] == "$") {
                    let value = values[name]!
                    output += context == .double ? escapedForDoubleQuotes(value) : singleQuoted(value)
                    i = end
                    continue
                }
            default:
                break
            }
            output.append(c)
            i += 1
        }
        return output
    }

    /// `template` with every placeholder in `values` replaced verbatim (no quoting), for
    /// values that are not shell text, such as `student_after`.
    public static func plainExpand(_ template: String, values: [String: String]) -> String {
        var result = template
        for (name, value) in values { result = result.replacingOccurrences(of: "{\(name)}", with: value) }
        return result
    }

    /// The placeholder names used in `template` (known or not), in order of appearance.
    public static func placeholderNames(in template: String) -> [String] {
        let chars = Array(template)
        var names: [String] = []
        var i = 0
        while i < chars.count {
            if chars[i] == "{", !(i > 0 && chars[i - 1] == "$"), let close = chars[(i + 1)...].firstIndex(of: "}") {
                let name = String(chars[(i + 1)..<close])
                if !name.isEmpty, name.allSatisfy({ $0.isLetter || $0 == "_" }) { names.append(name) }
                i = close + 1
            } else {
                i += 1
            }
        }
        return names
    }

    /// `value` as one single-quoted shell word.
    public static func singleQuoted(_ value: String) -> String {
        "'" + value.replacingOccurrences(of: "'", with: #"'\''"#) + "'"
    }

    private static func escapedForDoubleQuotes(_ value: String) -> String {
        var out = ""
        for c in value {
            if c == "\\" || c == "\"" || c == "$" || c == "`" { out.append("\\") }
            out.append(c)
        }
        return out
    }

    /// The known placeholder starting at `start` (a `{`), and the index after its `}`.
    private static func placeholder(_ chars: [Character], at start: Int, values: [String: String]) -> (String, Int)? {
        var end = start + 1
        while end < chars.count, chars[end] != "}", end - start < 40 { end += 1 }
        guard end < chars.count, chars[end] == "}" else { return nil }
        let name = String(chars[(start + 1)..<end])
        return values[name] == nil ? nil : (name, end + 1)
    }
}
