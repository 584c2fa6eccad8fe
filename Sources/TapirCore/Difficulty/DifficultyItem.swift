/// One instruction's difficulty, as the selector sees it.
public struct DifficultyItem<ID: Hashable & Sendable>: Sendable, Hashable {
    public var id: ID
    public var category: String
    public var value: Double

    public init(id: ID, category: String, value: Double) {
        self.id = id
        self.category = category
        self.value = value
    }
}
