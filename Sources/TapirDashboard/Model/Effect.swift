/// Work `update` asks the outside world to do: store writes, theme loading, quitting.
/// The controller performs effects and feeds results back as new data or messages.
public enum Effect: Sendable, Equatable {
    case quit
    case loadTheme(String)
    /// Pause the engine before its next stage.
    case setPaused(Bool)
    /// Clear the pause and every failing or paused endpoint role (as `tapir resume`).
    case resume
    /// Show round N on the round-dependent screens (reload data).
    case showRound(Int)
    /// Record δ for the next round.
    case setNextDelta(Double)
    case approve([Int64])
    case reject([Int64], reason: String)
    /// Replace an expansion's text and approve it.
    case edit(Int64, text: String)
    /// Load the full record of an instruction (Samples detail pane).
    case loadDetail(Int64)
    /// Search instruction text (Samples).
    case search(String)
    /// Reload data now.
    case refresh
    /// Repaint the whole terminal.
    case redraw
}
