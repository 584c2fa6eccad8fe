import TerminalUI

extension Dashboard {
    /// Draws the whole dashboard: tab bar, current screen, status bar and any overlay.
    /// Records list page sizes in `state` for page movement.
    public static func render(_ state: inout DashboardState, width: Int, height: Int) -> CellBuffer {
        let theme = state.effectiveTheme
        var buffer = CellBuffer(width: width, height: height, style: theme[.background])
        guard width >= 20, height >= 6 else {
            buffer.write("tapir: terminal too small", x: 0, y: 0, style: theme[.bad])
            return buffer
        }
        let parts = Layout.rows(buffer.bounds, [.fixed(1), .fill(1), .fixed(1)])
        state.listRows = nil
        TabBar(titles: Screen.allCases.map(\.title), selected: state.screen.rawValue - 1).render(into: &buffer, rect: parts[0], theme: theme)
        let body = parts[1].inset(Padding(horizontal: 1, vertical: 0))
        buffer.fill(parts[1], style: theme[.background])
        switch state.screen {
        case .rounds: RoundsScreen.render(&state, into: &buffer, rect: body, theme: theme)
        case .tasks: TasksScreen.render(&state, into: &buffer, rect: body, theme: theme)
        case .scores: ScoresScreen.render(&state, into: &buffer, rect: body, theme: theme)
        case .hardQueue: HardQueueScreen.render(&state, into: &buffer, rect: body, theme: theme)
        case .review: ReviewScreen.render(&state, into: &buffer, rect: body, theme: theme)
        case .samples: SamplesScreen.render(&state, into: &buffer, rect: body, theme: theme)
        case .logs: LogsScreen.render(&state, into: &buffer, rect: body, theme: theme)
        }
        renderStatus(&state, into: &buffer, rect: parts[2], theme: theme)
        renderOverlay(&state, into: &buffer, rect: parts[1], theme: theme)
        return buffer
    }

    static func renderStatus(_ state: inout DashboardState, into buffer: inout CellBuffer, rect: Rect, theme: Theme) {
        switch state.overlay {
        case .commandLine(var field):
            buffer.write(":", x: rect.x, y: rect.y, style: theme[.input])
            field.render(into: &buffer, rect: Rect(x: rect.x + 1, y: rect.y, width: rect.width - 1, height: 1), style: theme[.input], focused: true)
            state.overlay = .commandLine(field)
            return
        case .search(var field):
            buffer.write("/", x: rect.x, y: rect.y, style: theme[.input])
            field.render(into: &buffer, rect: Rect(x: rect.x + 1, y: rect.y, width: rect.width - 1, height: 1), style: theme[.input], focused: true)
            state.overlay = .search(field)
            return
        default: break
        }
        let d = state.data
        let engine = !d.engine.running ? "IDLE" : (d.paused ? "PAUSED" : (d.engine.waiting ? "WAITING" : "RUNNING"))
        var right: [String] = []
        if let marker = d.roleHealth.statusMarker { right.append(marker) }
        if let note = d.engine.note { right.append(note) }
        if !d.workspaceName.isEmpty { right.append(d.workspaceName) }
        if let r = d.rounds.currentRound { right.append("round \(r)") }
        right.append("cost " + Format.money(d.rounds.totalCost))
        right.append("? help")
        StatusBar(mode: engine, left: state.message ?? state.screen.title,
                  right: state.error == nil ? right.joined(separator: " · ") : "", error: state.error)
            .render(into: &buffer, rect: rect, theme: theme)
    }

    static func renderOverlay(_ state: inout DashboardState, into buffer: inout CellBuffer, rect: Rect, theme: Theme) {
        switch state.overlay {
        case .help(let offset):
            HelpOverlay(keymap: state.keymap, scope: state.screen.scope).render(into: &buffer, rect: rect, offset: offset, theme: theme)
        case .confirmQuit:
            let message = state.data.engine.host == .thisProcess
                ? "Quitting stops the engine after the item in flight. Quit the dashboard?"
                : "The engine is still running in this workspace. Quit the dashboard?"
            ConfirmDialog(title: "Quit", message: message)
                .render(into: &buffer, rect: rect, theme: theme)
        case .rejectReason(var field, let ids):
            let inner = promptBox(&buffer, rect, title: "Reject \(ids.count) expansion\(ids.count == 1 ? "" : "s") — reason (enter confirms, esc cancels)", theme: theme)
            field.render(into: &buffer, rect: inner, style: theme[.input], focused: true)
            state.overlay = .rejectReason(field, ids: ids)
        case .edit(var field, let id):
            let inner = promptBox(&buffer, rect, title: "Edit #\(id) — enter saves and approves, esc cancels", theme: theme)
            field.render(into: &buffer, rect: inner, style: theme[.input], focused: true)
            state.overlay = .edit(field, id: id)
        default: break
        }
    }

    /// A framed one-line prompt centred in `rect`; returns the input row.
    static func promptBox(_ buffer: inout CellBuffer, _ rect: Rect, title: String, theme: Theme) -> Rect {
        let box = rect.centered(width: min(rect.width, max(50, rect.width * 3 / 4)), height: 3)
        let inner = Box.draw(&buffer, box, title: title, theme: theme)
        return inner
    }
}
