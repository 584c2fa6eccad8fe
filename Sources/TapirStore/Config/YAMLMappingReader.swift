import Foundation
import TapirCore
import Yams

/// Reads one YAML mapping key by key with typed accessors, remembering which keys it was
/// asked for so `finish()` can report the ones nobody knows (with the nearest known key).
final class YAMLMappingReader {
    let path: String
    private let entries: [(key: String, line: Int?, value: Node)]
    private var known: [String] = []
    private let file: String?

    init(_ node: Node, path: String, file: String?) throws(ConfigError) {
        self.path = path
        self.file = file
        guard case let .mapping(mapping) = node else {
            throw ConfigError(keyPath: path, problem: .wrongType(expected: "a mapping of keys to values", found: Self.describe(node)), line: node.mark?.line, file: file)
        }
        var entries: [(String, Int?, Node)] = []
        for (key, value) in mapping {
            guard let name = key.scalar?.string else {
                throw ConfigError(keyPath: path, problem: .wrongType(expected: "plain key names", found: Self.describe(key)), line: key.mark?.line, file: file)
            }
            entries.append((name, key.mark?.line, value))
        }
        self.entries = entries
    }

    func keyPath(_ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

    func error(_ key: String, _ problem: ConfigError.Problem, node: Node? = nil) -> ConfigError {
        ConfigError(keyPath: keyPath(key), problem: problem, line: node?.mark?.line ?? line(of: key), file: file)
    }

    private func line(of key: String) -> Int? { entries.first { $0.key == key }?.line }

    /// Whether `key` is written in the mapping at all (with any value, null included).
    func contains(_ key: String) -> Bool { entries.contains { $0.key == key } }

    /// The value under `key`, `nil` when absent or YAML null.
    func node(_ key: String) -> Node? {
        if !known.contains(key) { known.append(key) }
        guard let value = entries.first(where: { $0.key == key })?.value else { return nil }
        if Self.isNull(value) { return nil }
        return value
    }

    func string(_ key: String) throws(ConfigError) -> String? {
        guard let value = node(key) else { return nil }
        guard case let .scalar(scalar) = value, value.tagName != .null else {
            throw error(key, .wrongType(expected: "a string", found: Self.describe(value)), node: value)
        }
        return scalar.string
    }

    func int(_ key: String) throws(ConfigError) -> Int? {
        guard let value = node(key) else { return nil }
        guard value.tagName == .int, let int = value.int else {
            throw error(key, .wrongType(expected: "an integer", found: Self.describe(value)), node: value)
        }
        return int
    }

    func double(_ key: String) throws(ConfigError) -> Double? {
        guard let value = node(key) else { return nil }
        guard value.tagName == .int || value.tagName == .float, let double = value.float else {
            throw error(key, .wrongType(expected: "a number", found: Self.describe(value)), node: value)
        }
        return double
    }

    func bool(_ key: String) throws(ConfigError) -> Bool? {
        guard let value = node(key) else { return nil }
        guard value.tagName == .bool, let bool = value.bool else {
            throw error(key, .wrongType(expected: "true or false", found: Self.describe(value)), node: value)
        }
        return bool
    }

    func choice<T: RawRepresentable & CaseIterable>(_ key: String, _ type: T.Type) throws(ConfigError) -> T? where T.RawValue == String {
        guard let raw = try string(key) else { return nil }
        guard let value = T(rawValue: raw) else {
            throw error(key, .notOneOf(value: raw, allowed: T.allCases.map(\.rawValue)))
        }
        return value
    }

    func url(_ key: String) throws(ConfigError) -> String? {
        guard let raw = try string(key) else { return nil }
        guard let components = URLComponents(string: raw), let scheme = components.scheme?.lowercased(),
              scheme == "http" || scheme == "https", let host = components.host, !host.isEmpty
        else { throw error(key, .badURL(value: raw)) }
        return raw
    }

    /// A mapping of scalar values, each rendered as a string.
    func stringMap(_ key: String) throws(ConfigError) -> [String: String]? {
        guard let value = node(key) else { return nil }
        guard case let .mapping(mapping) = value else {
            throw error(key, .wrongType(expected: "a mapping of names to strings", found: Self.describe(value)), node: value)
        }
        var result: [String: String] = [:]
        for (k, v) in mapping {
            guard let name = k.scalar?.string, case let .scalar(scalar) = v else {
                throw error(key, .wrongType(expected: "a mapping of names to strings", found: Self.describe(v)), node: v)
            }
            result[name] = scalar.string
        }
        return result
    }

    /// A mapping of arbitrary YAML values, each rendered as JSON text.
    func jsonMap(_ key: String) throws(ConfigError) -> [String: String]? {
        guard let value = node(key) else { return nil }
        guard case let .mapping(mapping) = value else {
            throw error(key, .wrongType(expected: "a mapping of names to values", found: Self.describe(value)), node: value)
        }
        var result: [String: String] = [:]
        for (k, v) in mapping {
            guard let name = k.scalar?.string else { continue }
            let object = Self.jsonObject(v)
            guard let data = try? JSONSerialization.data(withJSONObject: object, options: [.fragmentsAllowed, .sortedKeys]) else {
                throw error("\(key).\(name)", .wrongType(expected: "a JSON-compatible value", found: Self.describe(v)), node: v)
            }
            result[name] = String(decoding: data, as: UTF8.self)
        }
        return result
    }

    func doubleList(_ key: String) throws(ConfigError) -> [Double]? {
        guard let value = node(key) else { return nil }
        guard case let .sequence(sequence) = value else {
            throw error(key, .wrongType(expected: "a list of numbers such as [0.3, 0.5, 0.7]", found: Self.describe(value)), node: value)
        }
        var result: [Double] = []
        for (i, item) in sequence.enumerated() {
            guard item.tagName == .int || item.tagName == .float, let d = item.float else {
                throw error("\(key)[\(i)]", .wrongType(expected: "a number", found: Self.describe(item)), node: item)
            }
            result.append(d)
        }
        return result
    }

    func sequence(_ key: String) throws(ConfigError) -> [Node]? {
        guard let value = node(key) else { return nil }
        guard case let .sequence(sequence) = value else {
            throw error(key, .wrongType(expected: "a list", found: Self.describe(value)), node: value)
        }
        return Array(sequence)
    }

    func mapping(_ key: String) throws(ConfigError) -> YAMLMappingReader? {
        guard let value = node(key) else { return nil }
        return try YAMLMappingReader(value, path: keyPath(key), file: file)
    }

    /// Fails on the first key that was never asked for, suggesting the nearest known key.
    func finish() throws(ConfigError) {
        for entry in entries where !known.contains(entry.key) {
            let suggestion = Self.nearest(to: entry.key, in: known)
            throw ConfigError(keyPath: keyPath(entry.key), problem: .unknownKey(suggestion: suggestion), line: entry.line, file: file)
        }
    }

    // MARK: - Helpers

    static func isNull(_ node: Node) -> Bool {
        if case .scalar = node, node.tagName == .null { return true }
        return false
    }

    static func describe(_ node: Node) -> String {
        switch node {
        case let .scalar(scalar):
            switch node.tagName {
            case .null: return "null"
            case .bool: return "the boolean \(scalar.string)"
            case .int, .float: return "the number \(scalar.string)"
            default: return "the string \"\(scalar.string.prefix(60))\""
            }
        case .mapping: return "a mapping"
        case .sequence: return "a list"
        case .alias: return "an alias"
        }
    }

    static func jsonObject(_ node: Node) -> Any {
        switch node {
        case .scalar:
            switch node.tagName {
            case .null: return NSNull()
            case .bool: return node.bool ?? false
            case .int: return node.int ?? 0
            case .float: return node.float ?? 0
            default: return node.string ?? ""
            }
        case let .mapping(mapping):
            var dict: [String: Any] = [:]
            for (k, v) in mapping { dict[k.string ?? ""] = jsonObject(v) }
            return dict
        case let .sequence(sequence):
            return sequence.map(jsonObject)
        case .alias:
            return NSNull()
        }
    }

    /// The candidate closest to `key` by edit distance, if close enough to be a typo.
    static func nearest(to key: String, in candidates: [String]) -> String? {
        let scored = candidates.map { ($0, editDistance(key.lowercased(), $0.lowercased())) }
        guard let best = scored.min(by: { $0.1 < $1.1 }) else { return nil }
        let limit = max(2, key.count / 3)
        if best.1 <= limit { return best.0 }
        // A candidate containing the key (or the reverse) is a good guess too.
        return candidates.first { $0.contains(key) || key.contains($0) }
    }

    static func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            }
            swap(&previous, &current)
        }
        return previous[b.count]
    }
}

extension Node {
    /// The resolved tag's name (`tag:yaml.org,2002:int`, …).
    var tagName: Tag.Name { Tag.Name(rawValue: tag.rawValue) }
}
