/// A value for a placeholder: one text or a list of texts.
public enum PromptValue: Sendable, Hashable, ExpressibleByStringLiteral, ExpressibleByArrayLiteral {
    case text(String)
    case list([String])

    public init(stringLiteral value: String) { self = .text(value) }
    public init(arrayLiteral elements: String...) { self = .list(elements) }
}
