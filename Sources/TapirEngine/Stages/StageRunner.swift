import TapirCore

/// How a stage run ended.
public enum StageOutcome: Sendable, Hashable {
    /// All of the stage's work for the round is done; `summary` is one line for logs and the CLI.
    case completed(summary: String)
    /// The stage had nothing to do by configuration (e.g. "no trainer").
    case skipped(reason: String)
    /// The stage cannot finish yet and the round waits (e.g. expansions pending approval,
    /// budget reached). Running it again later continues.
    case waiting(reason: String)
}

/// One stage of a curriculum round. `run` must be idempotent: it plans its remaining work
/// from the store, does only that, records progress (`StoreWriter.updateProgress`) as it goes
/// and persists every result before returning. Cancelling the task stops it promptly with
/// everything finished so far kept.
public protocol StageRunner: Sendable {
    var stage: Stage { get }
    func run(round: Int, context: EngineContext) async throws -> StageOutcome
}
