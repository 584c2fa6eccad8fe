/// How a `RoundRunner.run` ended; the `run` command maps it to its exit code.
public enum RunOutcome: Sendable, Hashable {
    /// Every requested round finished (or the `until` stage was reached).
    case done
    /// Stopped by request: the `paused` control key, `stop_after_stage`, or cancellation.
    case paused(reason: String)
    /// A stage cannot go on yet (expansions pending approval, no selection …); running again
    /// later continues from that stage.
    case waiting(reason: String)
    /// A stage threw; `error` is its description (the stage is recorded as failed).
    case failed(error: String)
}
