/// A named slot `{{name}}` in a prompt template.
public struct PromptPlaceholder: Sendable, Hashable {
    public enum Kind: Sendable, Hashable {
        /// Trusted text from configuration (category names), inserted as is.
        case text
        /// One untrusted text, inserted inside a `<<<LABEL … >>>` block.
        case data(label: String)
        /// Several untrusted texts, each in its own numbered block `<<<LABEL_1 … >>>`.
        case dataList(label: String)
    }

    public var name: String
    public var kind: Kind

    public static func text(_ name: String) -> PromptPlaceholder { PromptPlaceholder(name: name, kind: .text) }
    public static func data(_ name: String, label: String) -> PromptPlaceholder { PromptPlaceholder(name: name, kind: .data(label: label)) }
    public static func dataList(_ name: String, label: String) -> PromptPlaceholder {
        PromptPlaceholder(name: name, kind: .dataList(label: label))
    }
}
