import Foundation
import TerminalUI

/// The dashboard's pure core: `update` turns an event into a new state plus effects,
/// `render` draws a state into a cell buffer. Neither touches the terminal or the store.
public enum Dashboard {
    /// Applies one input event. Returns the effects the controller must perform.
    public static func update(_ state: inout DashboardState, _ event: InputEvent) -> [Effect] {
        switch event {
        case .key(let key):
            state.message = nil
            if state.overlay != nil { return updateOverlay(&state, key) }
            guard let action = state.keymap.action(for: key, scope: state.screen.scope) else { return [] }
            return perform(action, &state)
        case .mouse(let m):
            return updateMouse(&state, m)
        case .resize:
            return []
        case .tick:
            return [.refresh]
        case .wake:
            return []
        case .terminate:
            state.quitting = true
            return [.quit]
        }
    }

    /// Installs freshly loaded data, keeping selections in range (and at the end in follow mode).
    public static func replaceData(_ state: inout DashboardState, _ data: DashboardData) {
        let oldSample = state.selectedSample?.id
        state.data = data
        for screen in Screen.allCases {
            var s = state.list(screen)
            s.reveal(count: state.rowCount(screen), visible: state.pageRows)
            state.lists[screen] = s
        }
        if state.followLogs {
            var s = state.list(.logs)
            s.select(state.rowCount(.logs) - 1, count: state.rowCount(.logs), visible: state.pageRows)
            state.lists[.logs] = s
        }
        state.marked.formIntersection(Set(data.review.items.map(\.id)))
        if let id = oldSample, state.selectedSample?.id != id { state.detailOffset = 0 }
    }

    // MARK: - Actions

    static func perform(_ action: String, _ state: inout DashboardState) -> [Effect] {
        if action.hasPrefix("screen-"), let n = Int(action.dropFirst(7)), let s = Screen(rawValue: n) {
            return switchScreen(&state, s)
        }
        switch action {
        case "next-screen": return switchScreen(&state, state.screen.cycled(1))
        case "previous-screen": return switchScreen(&state, state.screen.cycled(-1))
        case "down": return move(&state, 1)
        case "up": return move(&state, -1)
        case "top": return move(&state, -state.rowCount(state.screen))
        case "bottom": return move(&state, state.rowCount(state.screen))
        case "page-down": return move(&state, max(1, state.pageRows / 2))
        case "page-up": return move(&state, -max(1, state.pageRows / 2))
        case "detail-down": state.detailOffset += 1
        case "detail-up": state.detailOffset = max(0, state.detailOffset - 1)
        case "sort", "sort-reverse": sort(&state, reverse: action == "sort-reverse")
        case "command": state.overlay = .commandLine(TextField())
        case "help": state.overlay = .help(offset: 0)
        case "back":
            state.error = nil
            state.hardCategory = nil
            state.searchQuery = nil
            state.deltaDraft = nil
            state.marked.removeAll()
        case "quit":
            if state.data.engineRunning {
                state.overlay = .confirmQuit
            } else {
                state.quitting = true
                return [.quit]
            }
        case "redraw": return [.redraw]
        case "toggle-pause": return setPaused(&state, !state.data.paused)
        case "delta-up", "delta-down":
            let step = action == "delta-up" ? 0.25 : -0.25
            state.deltaDraft = max(0, ((state.shownDelta + step) * 4).rounded() / 4)
            let d = state.shownDelta
            state.message = String(format: "δ %.2f → %d hard (enter applies it for the next round)", d, state.data.scores.hardCount(at: d))
        case "apply-delta":
            let d = state.shownDelta
            state.data.scores.nextDelta = d
            state.deltaDraft = nil
            state.message = String(format: "δ %.2f will be used from the next round", d)
            return [.setNextDelta(d)]
        case "next-category", "previous-category":
            let cats = state.data.hardQueue.categories
            guard !cats.isEmpty else { break }
            let all: [String?] = [nil] + cats.map { Optional($0) }
            let i = all.firstIndex(of: state.hardCategory) ?? 0
            let step = action == "next-category" ? 1 : -1
            state.hardCategory = all[((i + step) % all.count + all.count) % all.count]
            state.lists[.hardQueue] = ScrollState()
        case "approve":
            let ids = reviewTargets(state)
            guard !ids.isEmpty else { break }
            state.marked.removeAll()
            state.message = "approved \(ids.count) expansion\(ids.count == 1 ? "" : "s")"
            return [.approve(ids)]
        case "reject":
            let ids = reviewTargets(state)
            guard !ids.isEmpty else { break }
            state.overlay = .rejectReason(TextField(), ids: ids)
        case "edit":
            guard let item = state.selectedReviewItem else { break }
            state.overlay = .edit(TextField(text: item.text), id: item.id)
        case "mark":
            guard let item = state.selectedReviewItem else { break }
            if state.marked.remove(item.id) == nil { state.marked.insert(item.id) }
            return move(&state, 1)
        case "mark-all":
            let all = Set(state.data.review.items.map(\.id))
            state.marked = state.marked == all ? [] : all
        case "search": state.overlay = .search(TextField(text: state.searchQuery ?? ""))
        case "next-match", "previous-match":
            return jumpToMatch(&state, forward: action == "next-match")
        case "next-level":
            let levels = LogsViewModel.Level.allCases
            state.logMinimum = levels[(state.logMinimum.rawValue + 1) % levels.count]
            state.message = "showing \(state.logMinimum.label) and above"
        case "toggle-follow":
            state.followLogs.toggle()
            if state.followLogs { _ = move(&state, state.rowCount(.logs)) }
            state.message = state.followLogs ? "following new lines" : "follow off"
        default: break
        }
        return []
    }

    static func switchScreen(_ state: inout DashboardState, _ screen: Screen) -> [Effect] {
        guard screen != state.screen else { return [] }
        state.screen = screen
        state.detailOffset = 0
        if screen == .samples, let s = state.selectedSample { return [.loadDetail(s.id)] }
        return []
    }

    static func move(_ state: inout DashboardState, _ delta: Int) -> [Effect] {
        let screen = state.screen
        var s = state.list(screen)
        let before = s.selected
        s.move(delta, count: state.rowCount(screen), visible: state.pageRows)
        state.lists[screen] = s
        if screen == .logs { state.followLogs = s.selected == state.rowCount(.logs) - 1 }
        guard s.selected != before else { return [] }
        state.detailOffset = 0
        if screen == .samples, let row = state.selectedSample { return [.loadDetail(row.id)] }
        return []
    }

    /// Pausing asks the engine to stop before its next stage; resuming also clears the
    /// failing and paused endpoint roles, as `tapir resume` does.
    static func setPaused(_ state: inout DashboardState, _ paused: Bool) -> [Effect] {
        state.data.paused = paused
        guard !paused else {
            state.message = "engine pauses after the current step"
            return [.setPaused(true)]
        }
        let roles = state.data.roleHealth.roles.filter(\.paused).map(\.name)
        state.message = roles.isEmpty ? "engine resumed" : "engine resumed; roles resumed: " + roles.joined(separator: ", ")
        state.data.roleHealth = RoleHealthViewModel()
        return [.resume]
    }

    static func sort(_ state: inout DashboardState, reverse: Bool) {
        let columns: Int
        switch state.screen {
        case .rounds: columns = 7
        case .tasks: columns = 4
        case .hardQueue: columns = 4
        default: return
        }
        var s = state.sorts[state.screen] ?? TableSort(column: 0)
        if reverse { s.ascending.toggle() } else { s.column = (s.column + 1) % columns }
        state.sorts[state.screen] = s
    }

    static func reviewTargets(_ state: DashboardState) -> [Int64] {
        if !state.marked.isEmpty { return state.data.review.items.map(\.id).filter { state.marked.contains($0) } }
        return state.selectedReviewItem.map { [$0.id] } ?? []
    }

    static func jumpToMatch(_ state: inout DashboardState, forward: Bool) -> [Effect] {
        guard let q = state.searchQuery, !q.isEmpty else {
            state.message = "no search; press / to search"
            return []
        }
        let rows = state.data.samples.rows
        guard !rows.isEmpty else { return [] }
        let start = state.list(.samples).selected
        for step in 1...rows.count {
            let i = ((start + (forward ? step : -step)) % rows.count + rows.count) % rows.count
            if rows[i].text.range(of: q, options: [.caseInsensitive, .diacriticInsensitive]) != nil {
                return move(&state, i - start)
            }
        }
        state.message = "no match for “\(q)”"
        return []
    }

    // MARK: - Overlays

    static func updateOverlay(_ state: inout DashboardState, _ key: Key) -> [Effect] {
        switch state.overlay {
        case .help(let offset):
            switch key {
            case .escape, .char("?"), .char("q"): state.overlay = nil
            case .char("j"), .down: state.overlay = .help(offset: offset + 1)
            case .char("k"), .up: state.overlay = .help(offset: max(0, offset - 1))
            default: break
            }
        case .confirmQuit:
            switch ConfirmDialog.answer(for: key) {
            case true?:
                state.overlay = nil
                state.quitting = true
                return [.quit]
            case false?: state.overlay = nil
            case nil: break
            }
        case .commandLine(var field):
            switch key {
            case .escape: state.overlay = nil
            case .enter:
                state.overlay = nil
                return runCommand(&state, field.text)
            case .backspace where field.text.isEmpty: state.overlay = nil
            default:
                field.handle(key)
                state.overlay = .commandLine(field)
            }
        case .search(var field):
            switch key {
            case .escape: state.overlay = nil
            case .enter:
                state.overlay = nil
                let q = field.text.trimmingCharacters(in: .whitespaces)
                state.searchQuery = q.isEmpty ? nil : q
                guard let query = state.searchQuery else { return [] }
                state.lists[.samples] = ScrollState()
                return [.search(query)]
            default:
                field.handle(key)
                state.overlay = .search(field)
            }
        case .rejectReason(var field, let ids):
            switch key {
            case .escape: state.overlay = nil
            case .enter:
                state.overlay = nil
                state.marked.removeAll()
                let reason = field.text.trimmingCharacters(in: .whitespaces)
                state.message = "rejected \(ids.count) expansion\(ids.count == 1 ? "" : "s")"
                return [.reject(ids, reason: reason.isEmpty ? "rejected in review" : reason)]
            default:
                field.handle(key)
                state.overlay = .rejectReason(field, ids: ids)
            }
        case .edit(var field, let id):
            switch key {
            case .escape: state.overlay = nil
            case .enter:
                state.overlay = nil
                let text = field.text.trimmingCharacters(in: .whitespaces)
                guard !text.isEmpty else {
                    state.error = "the instruction text cannot be empty; edit cancelled"
                    return []
                }
                state.message = "edited and approved #\(id)"
                return [.edit(id, text: text)]
            default:
                field.handle(key)
                state.overlay = .edit(field, id: id)
            }
        case nil: break
        }
        return []
    }

    /// Runs a `:` command line.
    static func runCommand(_ state: inout DashboardState, _ line: String) -> [Effect] {
        let words = line.split(separator: " ").map(String.init)
        guard let name = words.first else { return [] }
        switch (name, words.count) {
        case ("theme", 2):
            return [.loadTheme(words[1])]
        case ("round", 2):
            guard let n = Int(words[1]), n >= 0 else {
                state.error = ":round needs a round number, e.g. :round 2"
                return []
            }
            return [.showRound(n)]
        case ("pause", 1): return setPaused(&state, true)
        case ("resume", 1): return setPaused(&state, false)
        case ("quit", 1), ("q", 1):
            state.quitting = true
            return [.quit]
        default:
            state.error = "unknown command `:\(line)`; try :theme NAME, :round N, :pause, :resume, :quit"
            return []
        }
    }

    // MARK: - Mouse

    static func updateMouse(_ state: inout DashboardState, _ m: MouseEvent) -> [Effect] {
        guard state.overlay == nil else { return [] }
        switch m.kind {
        case .wheelUp: return move(&state, -3)
        case .wheelDown: return move(&state, 3)
        case .press(button: 1):
            if m.y == 0 {
                // The tab bar: each tab is " N Title " plus a separator.
                var x = 0
                for s in Screen.allCases {
                    let w = DisplayWidth.of(" \(s.rawValue) \(s.title) ") + 1
                    if m.x < x + w { return switchScreen(&state, s) }
                    x += w
                }
                return []
            }
            // A click on a row of the main list (as drawn last) selects it.
            guard let area = state.listRows, area.contains(col: m.x, row: m.y) else { return [] }
            let s = state.list(state.screen)
            let target = s.offset + m.y - area.y
            guard target < state.rowCount(state.screen) else { return [] }
            return move(&state, target - s.selected)
        default:
            return []
        }
    }
}
