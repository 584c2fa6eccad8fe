import TapirCore
import TapirStore

/// Some items of a stage failed (each recorded as an error event naming the item and the
/// reason); the others are stored. Running the stage again retries exactly the failed ones.
/// Thrown by every per-item stage (classify, teach, answer, judge, refine, expand, evaluate)
/// once all its items are through, so the stage ends failed with everything finished kept.
public struct StageItemFailures: Error, Sendable, Hashable, CustomStringConvertible {
    public var stage: Stage
    public var round: Int
    /// Items whose model call failed.
    public var failed: Int
    /// Items finished and stored in this run.
    public var finished: Int
    /// The first failed item: an instruction id, or (expand) the index of a planned request.
    public var firstInstructionID: Int64
    public var firstError: String
    /// What the stage made of the items that succeeded (evaluate: the win rate over them).
    public var detail: String? = nil
    /// The noun for one item in messages ("instruction", "expansion request", "comparison").
    public var item: String = "instruction"

    public var description: String {
        "\(failed) \(item)(s) failed in \(stage.rawValue) of round \(round) (\(finished) finished and stored"
            + (detail.map { "; \($0)" } ?? "") + "); "
            + "first: \(item) \(firstInstructionID): \(firstError). Run again to retry them (see the events log)."
    }
}
