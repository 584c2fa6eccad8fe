import TerminalUI

/// A modal layer on top of the current screen.
public enum Overlay: Sendable, Equatable {
    case help(offset: Int)
    case confirmQuit
    case commandLine(TextField)
    case search(TextField)
    /// Rejection reason for these expansion ids.
    case rejectReason(TextField, ids: [Int64])
    /// New text for an expansion.
    case edit(TextField, id: Int64)
}

/// Everything the dashboard shows and remembers between frames. Changed only by
/// `Dashboard.update` (and by the controller when new data or effect results arrive).
public struct DashboardState: Sendable {
    public var screen: Screen = .rounds
    public var overlay: Overlay?
    public var data: DashboardData
    public var keymap: Keymap
    /// Theme as loaded (before colour-depth adaptation) and its name.
    public var theme: Theme
    public var colorDepth: ColorDepth
    /// One-line notice in the status bar (cleared by the next key).
    public var message: String?
    /// Problem to show in the status bar (e.g. a broken theme file).
    public var error: String?
    /// Set when the dashboard should exit.
    public var quitting = false

    /// Selection/scroll per screen.
    public var lists: [Screen: ScrollState] = [:]
    public var sorts: [Screen: TableSort] = [:]
    /// Scroll offset of detail panes (Review, Samples).
    public var detailOffset = 0
    /// δ being adjusted on the Scores screen (nil = the round's δ).
    public var deltaDraft: Double?
    public var hardCategory: String?
    public var marked: Set<Int64> = []
    public var searchQuery: String?
    public var logMinimum: LogsViewModel.Level = .debug
    public var followLogs = true
    /// Rows of the main list at the last render, for page movement.
    public var pageRows = 10
    /// Where the main list's rows were drawn at the last render (mouse clicks select there).
    public var listRows: Rect?

    public init(data: DashboardData = DashboardData(), keymap: Keymap = DashboardKeymap.standard,
                theme: Theme = .builtinDefault, colorDepth: ColorDepth = .ansi256) {
        self.data = data
        self.keymap = keymap
        self.theme = theme
        self.colorDepth = colorDepth
    }

    /// The theme as drawn on this terminal.
    public var effectiveTheme: Theme { theme.adapted(to: colorDepth) }

    /// Selection of a screen's list.
    public func list(_ screen: Screen) -> ScrollState { lists[screen] ?? ScrollState() }

    /// The δ shown on the Scores screen.
    public var shownDelta: Double { deltaDraft ?? data.scores.nextDelta ?? data.scores.delta }

    /// Hard-queue items after the category filter.
    public var visibleHardItems: [HardQueueViewModel.Item] {
        guard let c = hardCategory else { return data.hardQueue.items }
        return data.hardQueue.items.filter { $0.category == c }
    }

    /// Log lines at or above the level filter.
    public var visibleLogLines: [LogsViewModel.Line] { data.logs.lines.filter { $0.level >= logMinimum } }

    /// Number of rows in the current screen's main list.
    public func rowCount(_ screen: Screen) -> Int {
        switch screen {
        case .rounds: data.rounds.rows.count
        case .tasks: data.tasks.categories.count
        case .scores: 0
        case .hardQueue: visibleHardItems.count
        case .review: data.review.items.count
        case .samples: data.samples.rows.count
        case .logs: visibleLogLines.count
        }
    }

    /// The selected review item, if any.
    public var selectedReviewItem: ReviewViewModel.Item? {
        let items = data.review.items
        let i = list(.review).selected
        return items.indices.contains(i) ? items[i] : nil
    }

    /// The selected sample row, if any.
    public var selectedSample: SamplesViewModel.Row? {
        let rows = data.samples.rows
        let i = list(.samples).selected
        return rows.indices.contains(i) ? rows[i] : nil
    }
}
