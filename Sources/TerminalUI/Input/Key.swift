import Foundation

/// A key press, as decoded by the backend. Control combinations are `.ctrl("d")`.
public enum Key: Hashable, Sendable, CustomStringConvertible {
    case char(Character)
    case ctrl(Character)
    case up, down, left, right
    case home, end, pageUp, pageDown
    case enter, escape, tab, backTab, backspace, delete, insert
    case function(Int)

    /// Parses a key spec as written in keymaps and `tapir.yaml`: `j`, `G`, `ctrl-d`, `enter`,
    /// `esc`, `tab`, `shift-tab`, `space`, `up`, `pgdn`, `f1` …
    public init?(spec: String) {
        let s = spec.trimmingCharacters(in: .whitespaces)
        if s.count == 1, let c = s.first { self = .char(c); return }
        let lower = s.lowercased()
        if lower.hasPrefix("ctrl-") || lower.hasPrefix("c-") || lower.hasPrefix("^") {
            let rest = lower.hasPrefix("^") ? String(lower.dropFirst()) : String(lower.drop(while: { $0 != "-" }).dropFirst())
            guard rest.count == 1, let c = rest.first, c.isLetter || "[]\\_@".contains(c) else { return nil }
            self = .ctrl(c)
            return
        }
        if lower.hasPrefix("f"), let n = Int(lower.dropFirst()), (1...24).contains(n) { self = .function(n); return }
        switch lower {
        case "space": self = .char(" ")
        case "up": self = .up
        case "down": self = .down
        case "left": self = .left
        case "right": self = .right
        case "home": self = .home
        case "end": self = .end
        case "pgup", "pageup": self = .pageUp
        case "pgdn", "pagedown": self = .pageDown
        case "enter", "return": self = .enter
        case "esc", "escape": self = .escape
        case "tab": self = .tab
        case "shift-tab", "backtab": self = .backTab
        case "backspace", "bs": self = .backspace
        case "delete", "del": self = .delete
        case "insert", "ins": self = .insert
        default: return nil
        }
    }

    /// The spec form (`ctrl-d`, `enter`, `G`), as accepted by `init?(spec:)`.
    public var description: String {
        switch self {
        case .char(" "): return "space"
        case .char(let c): return String(c)
        case .ctrl(let c): return "ctrl-\(c)"
        case .up: return "up"
        case .down: return "down"
        case .left: return "left"
        case .right: return "right"
        case .home: return "home"
        case .end: return "end"
        case .pageUp: return "pgup"
        case .pageDown: return "pgdn"
        case .enter: return "enter"
        case .escape: return "esc"
        case .tab: return "tab"
        case .backTab: return "shift-tab"
        case .backspace: return "backspace"
        case .delete: return "delete"
        case .insert: return "insert"
        case .function(let n): return "f\(n)"
        }
    }
}
