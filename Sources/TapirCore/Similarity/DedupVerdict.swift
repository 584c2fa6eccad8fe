/// The outcome of checking a new text against the workspace.
public enum DedupVerdict<ID: Hashable & Sendable>: Sendable, Hashable {
    /// No existing text is close enough.
    case unique
    /// An existing text normalises to the same string.
    case exactDuplicate(of: ID)
    /// An existing text reaches a similarity threshold; `similarity` is the larger measure.
    case nearDuplicate(of: ID, similarity: Double)

    /// True for both kinds of duplicate.
    public var isDuplicate: Bool {
        if case .unique = self { return false }
        return true
    }
}
