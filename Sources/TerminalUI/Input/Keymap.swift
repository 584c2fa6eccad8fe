/// One key binding: in `scope`, `key` triggers `action`; `help` explains it.
public struct KeyBinding: Hashable, Sendable {
    public var key: Key
    public var action: String
    public var help: String
    /// `global` or a screen/context name (`rounds`, `review`, …).
    public var scope: String

    public init(_ key: Key, _ action: String, _ help: String, scope: String = Keymap.globalScope) {
        self.key = key
        self.action = action
        self.help = help
        self.scope = scope
    }
}

/// Two actions that want the same key in scopes that are active together.
public struct KeymapConflict: Hashable, Sendable, CustomStringConvertible {
    public var key: Key
    public var scope: String
    public var actions: [String]

    public var description: String {
        "key `\(key)` in scope `\(scope)` is bound to both " + actions.map { "`\($0)`" }.joined(separator: " and ")
    }
}

/// A problem with a user override (`keys:` in tapir.yaml).
public struct KeymapOverrideError: Error, Hashable, Sendable, CustomStringConvertible {
    public var action: String
    public var reason: String
    public var description: String { "keys.\(action): \(reason)" }
}

/// The one table of key bindings: drives the handlers, the `?` overlay and the
/// generated markdown key reference.
public struct Keymap: Sendable, Equatable {
    /// The scope that is active on every screen.
    public static let globalScope = "global"

    public private(set) var bindings: [KeyBinding]

    public init(_ bindings: [KeyBinding]) { self.bindings = bindings }

    /// The action bound to `key`, looking in `scope` first and then in the global scope.
    public func action(for key: Key, scope: String) -> String? {
        if let b = bindings.first(where: { $0.key == key && $0.scope == scope }) { return b.action }
        return bindings.first(where: { $0.key == key && $0.scope == Keymap.globalScope })?.action
    }

    /// All keys bound to `action` (in any scope).
    public func keys(for action: String) -> [Key] {
        bindings.filter { $0.action == action }.map(\.key)
    }

    /// Bindings of one scope, in table order.
    public func bindings(in scope: String) -> [KeyBinding] { bindings.filter { $0.scope == scope } }

    /// Scopes in first-appearance order.
    public var scopes: [String] {
        var seen: [String] = []
        for b in bindings where !seen.contains(b.scope) { seen.append(b.scope) }
        return seen
    }

    /// Keys bound twice within one scope, or in a screen scope and the global scope.
    public func conflicts() -> [KeymapConflict] {
        var result: [KeymapConflict] = []
        var seen = Set<String>()
        for b in bindings {
            let clashing = bindings.filter {
                $0.key == b.key && $0.action != b.action
                    && ($0.scope == b.scope || $0.scope == Keymap.globalScope || b.scope == Keymap.globalScope)
            }
            guard !clashing.isEmpty else { continue }
            let scope = b.scope == Keymap.globalScope ? (clashing.first { $0.scope != Keymap.globalScope }?.scope ?? b.scope) : b.scope
            let actions = ([b.action] + clashing.map(\.action)).sorted()
            let id = "\(b.key)|\(scope)|\(actions)"
            if seen.insert(id).inserted { result.append(KeymapConflict(key: b.key, scope: scope, actions: Array(Set(actions)).sorted())) }
        }
        return result
    }

    /// Applies user overrides `action → [key specs]`: each named action gets exactly these
    /// keys (in the scopes it had). Returns the new keymap and the conflicts it has; bad
    /// specs or unknown actions are thrown.
    public func applying(overrides: [String: [String]]) throws(KeymapOverrideError) -> (Keymap, [KeymapConflict]) {
        var result = bindings
        for action in overrides.keys.sorted() {
            let specs = overrides[action]!
            let existing = bindings.filter { $0.action == action }
            guard let template = existing.first else {
                throw KeymapOverrideError(action: action, reason: "no such action; see `?` or the key reference for action names")
            }
            var keys: [Key] = []
            for spec in specs {
                guard let k = Key(spec: spec) else {
                    throw KeymapOverrideError(action: action, reason: "`\(spec)` is not a key (examples: j, G, ctrl-d, enter, esc, space, f2)")
                }
                keys.append(k)
            }
            let scopes = Array(Set(existing.map(\.scope))).sorted()
            let insertAt = result.firstIndex { $0.action == action } ?? result.count
            result.removeAll { $0.action == action }
            let fresh = scopes.flatMap { scope in keys.map { KeyBinding($0, action, template.help, scope: scope) } }
            result.insert(contentsOf: fresh, at: min(insertAt, result.count))
        }
        let map = Keymap(result)
        return (map, map.conflicts())
    }

    /// Help lines for one scope: keys joined (`j / down`) and the help text, one per action.
    public func helpEntries(scope: String) -> [(keys: String, help: String)] {
        var order: [String] = []
        var keysByAction: [String: [Key]] = [:]
        var helpByAction: [String: String] = [:]
        for b in bindings(in: scope) {
            if keysByAction[b.action] == nil { order.append(b.action) }
            keysByAction[b.action, default: []].append(b.key)
            helpByAction[b.action] = b.help
        }
        return order.map { (keysByAction[$0]!.map(\.description).joined(separator: " / "), helpByAction[$0]!) }
    }

    /// The key reference as markdown: one table per scope.
    public func markdownReference() -> String {
        var out = ""
        for scope in scopes {
            out += "### \(scope)\n\n| keys | action | what it does |\n|---|---|---|\n"
            var done = Set<String>()
            for b in bindings(in: scope) where done.insert(b.action).inserted {
                let keys = bindings(in: scope).filter { $0.action == b.action }.map { "`\($0.key.description.replacingOccurrences(of: "|", with: "\\|"))`" }
                out += "| \(keys.joined(separator: " ")) | \(b.action) | \(b.help) |\n"
            }
            out += "\n"
        }
        return out
    }
}
