/// One picked sample of a composed training set.
public struct ComposedSample<ID: Hashable & Sendable>: Sendable, Hashable {
    public var item: CurriculumItem<ID>
    /// Taken from the hard pool.
    public var isHard: Bool
    /// A second (or later) copy of an item already in the set: supply ran out.
    public var isRepeat: Bool
}
