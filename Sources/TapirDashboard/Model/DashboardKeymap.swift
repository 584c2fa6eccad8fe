import TerminalUI

/// The dashboard's one key table. Handlers, the `?` overlay and the README key reference
/// are all generated from it.
public enum DashboardKeymap {
    public static let standard: Keymap = {
        var b: [KeyBinding] = []
        for s in Screen.allCases {
            b.append(KeyBinding(.char(Character(String(s.rawValue))), "screen-\(s.rawValue)", "show the \(s.title) screen"))
        }
        b += [
            KeyBinding(.tab, "next-screen", "next screen"),
            KeyBinding(.backTab, "previous-screen", "previous screen"),
            KeyBinding(.char("j"), "down", "move down"),
            KeyBinding(.down, "down", "move down"),
            KeyBinding(.char("k"), "up", "move up"),
            KeyBinding(.up, "up", "move up"),
            KeyBinding(.char("g"), "top", "go to the first row"),
            KeyBinding(.home, "top", "go to the first row"),
            KeyBinding(.char("G"), "bottom", "go to the last row"),
            KeyBinding(.end, "bottom", "go to the last row"),
            KeyBinding(.ctrl("d"), "page-down", "half a page down"),
            KeyBinding(.pageDown, "page-down", "half a page down"),
            KeyBinding(.ctrl("u"), "page-up", "half a page up"),
            KeyBinding(.pageUp, "page-up", "half a page up"),
            KeyBinding(.char("J"), "detail-down", "scroll the detail pane down"),
            KeyBinding(.char("K"), "detail-up", "scroll the detail pane up"),
            KeyBinding(.char("s"), "sort", "sort by the next column"),
            KeyBinding(.char("S"), "sort-reverse", "reverse the sort order"),
            KeyBinding(.char(":"), "command", "command line (:theme NAME, :round N, :pause, :resume, :quit)"),
            KeyBinding(.char("?"), "help", "show this help"),
            KeyBinding(.escape, "back", "close the overlay / clear the filter"),
            KeyBinding(.char("q"), "quit", "quit (asks while the engine runs)"),
            KeyBinding(.ctrl("c"), "quit", "quit (asks while the engine runs)"),
            KeyBinding(.ctrl("l"), "redraw", "redraw the screen"),

            KeyBinding(.char("p"), "toggle-pause", "pause or resume the engine (resuming also clears paused roles)", scope: Screen.rounds.scope),

            KeyBinding(.char("+"), "delta-up", "raise δ by 0.25", scope: Screen.scores.scope),
            KeyBinding(.char("="), "delta-up", "raise δ by 0.25", scope: Screen.scores.scope),
            KeyBinding(.char("-"), "delta-down", "lower δ by 0.25", scope: Screen.scores.scope),
            KeyBinding(.enter, "apply-delta", "apply δ for the next round", scope: Screen.scores.scope),

            KeyBinding(.char("c"), "next-category", "filter by the next category", scope: Screen.hardQueue.scope),
            KeyBinding(.char("C"), "previous-category", "filter by the previous category", scope: Screen.hardQueue.scope),

            KeyBinding(.char("a"), "approve", "approve the expansion (or the marked ones)", scope: Screen.review.scope),
            KeyBinding(.char("r"), "reject", "reject with a reason (or the marked ones)", scope: Screen.review.scope),
            KeyBinding(.char("e"), "edit", "edit the instruction text, then approve", scope: Screen.review.scope),
            KeyBinding(.char(" "), "mark", "mark / unmark for bulk approve or reject", scope: Screen.review.scope),
            KeyBinding(.char("A"), "mark-all", "mark all / none", scope: Screen.review.scope),

            KeyBinding(.char("/"), "search", "search instruction text", scope: Screen.samples.scope),
            KeyBinding(.char("n"), "next-match", "next match", scope: Screen.samples.scope),
            KeyBinding(.char("N"), "previous-match", "previous match", scope: Screen.samples.scope),

            KeyBinding(.char("l"), "next-level", "minimum level: debug → info → warn → error", scope: Screen.logs.scope),
            KeyBinding(.char("f"), "toggle-follow", "follow new lines on / off", scope: Screen.logs.scope),
        ]
        return Keymap(b)
    }()
}
