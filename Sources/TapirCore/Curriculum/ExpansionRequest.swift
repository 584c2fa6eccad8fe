/// One request to the teacher in the expand stage: write one new instruction in `category`,
/// shown `seedIDs` (2–3 hard instructions of that category) as examples.
public struct ExpansionRequest<ID: Hashable & Sendable>: Sendable, Hashable {
    public var category: String
    public var seedIDs: [ID]
}
