import Foundation

/// One configuration problem: where (`keyPath`, for example `roles.teacher.base_url`, and
/// the file line when known) and what was expected.
public struct ConfigError: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Problem: Sendable, Hashable {
        /// The value has the wrong YAML type.
        case wrongType(expected: String, found: String)
        /// A key the section does not know; `suggestion` is the nearest known key.
        case unknownKey(suggestion: String?)
        /// A required key is missing.
        case missingKey(expected: String)
        /// Not one of the allowed words.
        case notOneOf(value: String, allowed: [String])
        /// A URL that is not absolute http(s).
        case badURL(value: String)
        /// Out of its allowed range.
        case outOfRange(value: String, expected: String)
        /// Taxonomy shares do not sum to 1 within 1e-3.
        case sharesDoNotSumToOne(sum: Double)
        /// `curriculum.alpha` does not have one value per round.
        case alphaCount(rounds: Int, found: Int)
        /// The same name twice.
        case duplicate(value: String)
        /// A used role's `api_key_env` names an unset variable.
        case missingEnvironmentVariable(name: String)
        /// The file is not valid YAML.
        case syntax(message: String)
        /// The file cannot be read.
        case unreadable(message: String)
    }

    /// Dotted path of the offending key (`""` for the whole file).
    public var keyPath: String
    public var problem: Problem
    /// 1-based line in the YAML file, when known.
    public var line: Int?
    /// The file, when known.
    public var file: String?

    public init(keyPath: String, problem: Problem, line: Int? = nil, file: String? = nil) {
        self.keyPath = keyPath
        self.problem = problem
        self.line = line
        self.file = file
    }

    public var description: String {
        var location = file ?? "tapir.yaml"
        if let line { location += ":\(line)" }
        let key = keyPath.isEmpty ? "" : " \(keyPath):"
        return "\(location):\(key) \(message)"
    }

    /// The problem and what to do, without the location.
    public var message: String {
        switch problem {
        case let .wrongType(expected, found):
            return "expected \(expected), found \(found)"
        case let .unknownKey(suggestion):
            if let suggestion { return "unknown key; did you mean `\(suggestion)`?" }
            return "unknown key; remove it or check the spelling"
        case let .missingKey(expected):
            return "missing; expected \(expected)"
        case let .notOneOf(value, allowed):
            return "`\(value)` is not allowed; expected one of \(allowed.joined(separator: ", "))"
        case let .badURL(value):
            return "`\(value)` is not a valid URL; expected an absolute http:// or https:// URL such as https://api.openai.com/v1"
        case let .outOfRange(value, expected):
            return "\(value) is out of range; expected \(expected)"
        case let .sharesDoNotSumToOne(sum):
            return "target_share values sum to \(String(format: "%.4f", sum)); they must sum to 1 (within 0.001)"
        case let .alphaCount(rounds, found):
            return "has \(found) value\(found == 1 ? "" : "s") but curriculum.rounds is \(rounds); give one hard share per round"
        case let .duplicate(value):
            return "`\(value)` appears more than once"
        case let .missingEnvironmentVariable(name):
            return "environment variable \(name) is not set; export \(name)=<your API key> before running (the key is never stored)"
        case let .syntax(message):
            return "invalid YAML: \(message)"
        case let .unreadable(message):
            return "cannot read the configuration: \(message)"
        }
    }
}
