import TerminalUI

/// Screen 7: engine events and trainer output with a level filter (`l`) and follow mode (`f`).
enum LogsScreen {
    static func render(_ state: inout DashboardState, into buffer: inout CellBuffer, rect: Rect, theme: Theme) {
        let lines = state.visibleLogLines
        let follow = state.followLogs ? "following" : "follow off (f)"
        buffer.writeLine("Logs · \(lines.count) lines · level ≥ \(state.logMinimum.label) (l) · \(follow)", in: rect.row(0), style: theme[.title])
        let body = Rect(x: rect.x, y: rect.y + 1, width: rect.width, height: rect.height - 1)
        state.pageRows = body.height
        state.listRows = body
        var list = state.list(.logs)
        list.reveal(count: lines.count, visible: body.height)
        state.lists[.logs] = list
        for row in 0..<body.height {
            let i = list.offset + row
            guard i < lines.count else { break }
            let l = lines[i]
            let y = body.y + row
            let selected = i == list.selected
            let base = selected ? theme[.selection] : theme[.text]
            if selected { buffer.fill(Rect(x: body.x, y: y, width: body.width, height: 1), style: base) }
            var x = buffer.write(Format.clock.string(from: l.time) + " ", x: body.x, y: y, style: selected ? base : theme[.muted], clip: body)
            let levelStyle: Style
            switch l.level {
            case .error: levelStyle = theme[.bad]
            case .warning: levelStyle = theme[.warning]
            case .info: levelStyle = theme[.good]
            case .debug: levelStyle = theme[.muted]
            }
            x = buffer.write(TextLayout.pad(l.level.label, width: 6), x: x, y: y, style: selected ? base : levelStyle, clip: body)
            x = buffer.write(TextLayout.pad(l.source, width: 9) + " ", x: x, y: y, style: selected ? base : theme[.muted], clip: body)
            buffer.write(l.message, x: x, y: y, style: base, clip: body)
        }
    }
}
