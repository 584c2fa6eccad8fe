import TapirCore

/// What one stage of one round still has to do.
public struct StageWork: Sendable, Hashable {
    public var stage: Stage
    public var round: Int
    /// Items the stage covers in all.
    public var total: Int
    /// Instructions still to process, in id order.
    public var pendingIDs: [Int64]

    public init(stage: Stage, round: Int, total: Int, pendingIDs: [Int64]) {
        self.stage = stage
        self.round = round
        self.total = total
        self.pendingIDs = pendingIDs
    }

    /// Items already processed.
    public var done: Int { total - pendingIDs.count }
    /// True when nothing is left.
    public var isComplete: Bool { pendingIDs.isEmpty }
}
