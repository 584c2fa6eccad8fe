/// A candidate training sample for the composer: one instruction with its (refined) response.
public struct CurriculumItem<ID: Hashable & Sendable>: Sendable, Hashable {
    public var id: ID
    /// Task category (a taxonomy name; unknown names get no target share).
    public var category: String
    /// True for instructions the teacher wrote in the expand stage.
    public var isExpansion: Bool
    /// Difficulty value (informational; pools are already split into hard and easy).
    public var value: Double

    public init(id: ID, category: String, isExpansion: Bool = false, value: Double = 0) {
        self.id = id
        self.category = category
        self.isExpansion = isExpansion
        self.value = value
    }
}
