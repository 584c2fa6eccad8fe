import TerminalUI

/// Screen 1: rounds with α, δ, stage, hard count, win rate, cost; live stages of the current
/// round with progress, rate and ETA; win-rate and loss sparklines.
enum RoundsScreen {
    static let columns = [
        TableColumn("round", width: .fixed(5), alignment: .right),
        TableColumn("α", width: .fixed(5), alignment: .right),
        TableColumn("δ", width: .fixed(5), alignment: .right),
        TableColumn("stage", width: .fill(1)),
        TableColumn("hard", width: .fixed(11), alignment: .right),
        TableColumn("win", width: .fixed(5), alignment: .right),
        TableColumn("cost", width: .fixed(8), alignment: .right),
    ]

    static func render(_ state: inout DashboardState, into buffer: inout CellBuffer, rect: Rect, theme: Theme) {
        let vm = state.data.rounds
        let health = state.data.roleHealth
        let stageRows = vm.stages.isEmpty ? 1 : vm.stages.count
        // Failing or paused roles: a title, one line each, and a hint when one is paused.
        let healthRows = health.roles.isEmpty ? 0 : health.roles.count + 1 + (health.hasPausedRole ? 1 : 0)
        // The rounds table takes what it needs (at least a few rows), the charts the rest.
        let tableHeight = max(4, min(vm.rows.count + 1, rect.height - stageRows - 2 - healthRows - 4))
        var parts = Layout.rows(rect, [.fixed(tableHeight), .fixed(stageRows + 2), .fixed(healthRows), .fill(1)])
        renderRoleHealth(health, into: &buffer, rect: parts.remove(at: 2), theme: theme)
        let rows = vm.rows.map { r in
            [String(r.number), Format.fixed2(r.alpha), Format.fixed2(r.delta), "\(r.stage) · \(r.state)",
             r.hardCount.map { h in r.total.map { "\(h)/\($0)" } ?? String(h) } ?? "–",
             Format.percent(r.winRate), Format.money(r.cost)]
        }
        var list = state.list(.rounds)
        state.pageRows = Table.visibleRows(in: parts[0])
        state.listRows = Table.rowsArea(in: parts[0])
        Table(columns: columns, rows: rows, sort: state.sorts[.rounds]).render(into: &buffer, rect: parts[0], state: &list, theme: theme)
        state.lists[.rounds] = list
        if vm.rows.isEmpty {
            buffer.write("No rounds yet — the engine starts round 1 after import.", x: parts[0].x + 1, y: parts[0].y + 2, style: theme[.muted], clip: parts[0])
        }

        let stagesRect = parts[1]
        let title = vm.currentRound.map { "Round \($0) stages" } ?? "Stages"
        buffer.writeLine(title + (state.data.paused ? "  (paused)" : ""), in: stagesRect.row(1), style: theme[.title])
        if vm.stages.isEmpty {
            buffer.write("no stage has started", x: stagesRect.x + 1, y: stagesRect.y + 2, style: theme[.muted], clip: stagesRect)
        }
        for (i, s) in vm.stages.enumerated() {
            let y = stagesRect.y + 2 + i
            guard y < stagesRect.maxY else { break }
            let row = Rect(x: stagesRect.x, y: y, width: stagesRect.width, height: 1)
            let cols = Layout.columns(row, [.fixed(10), .fill(1), .fixed(13), .fixed(12), .fixed(10)], spacing: 1)
            buffer.write(s.stage, x: cols[0].x, y: y, style: theme[.text], clip: cols[0])
            let done = s.total > 0 && s.done >= s.total
            let barStyle = done ? theme[.good] : theme[.accent]
            BarChart(bars: [Bar(label: "", value: s.fraction, style: barStyle)], maxValue: 1, format: { Format.percent($0) })
                .render(into: &buffer, rect: cols[1], theme: theme)
            buffer.write(TextLayout.pad("\(s.done)/\(s.total)", width: cols[2].width, alignment: .right), x: cols[2].x, y: y, style: theme[.text], clip: cols[2])
            let rate = s.ratePerMinute.map { String(format: "%.1f/min", $0) } ?? "–"
            buffer.write(TextLayout.pad(rate, width: cols[3].width, alignment: .right), x: cols[3].x, y: y, style: theme[.muted], clip: cols[3])
            let eta = done ? "done" : "ETA " + Format.duration(s.etaSeconds)
            buffer.write(TextLayout.pad(eta, width: cols[4].width, alignment: .right), x: cols[4].x, y: y, style: done ? theme[.good] : theme[.muted], clip: cols[4])
        }

        let chartRect = Rect(x: parts[2].x, y: parts[2].y + 1, width: parts[2].width, height: parts[2].height - 1)
        let halves = Layout.columns(chartRect, [.fill(1), .fill(1)], spacing: 2)
        let wins = vm.rows.compactMap(\.winRate)
        buffer.write("win rate per round " + (wins.last.map { Format.percent($0) } ?? "–"), x: halves[0].x, y: halves[0].y, style: theme[.title], clip: halves[0])
        buffer.write("trainer loss " + (vm.loss.last.map { Format.fixed2($0) } ?? "–") + " · cost " + Format.money(vm.totalCost),
                     x: halves[1].x, y: halves[1].y, style: theme[.title], clip: halves[1])
        let plotHeight = max(1, halves[0].height - 1)
        for (i, (values, style, range)) in [(wins, theme[.good], Optional(0.0...1.0)), (vm.loss, theme[.warning], nil)].enumerated() {
            let area = Rect(x: halves[i].x, y: halves[i].y + 1, width: halves[i].width, height: plotHeight)
            if values.count >= 2 && plotHeight >= 2 {
                LineChart(series: [.init(values: values, style: style)], yRange: range).render(into: &buffer, rect: area, theme: theme)
            } else if values.isEmpty {
                buffer.write("no data yet", x: area.x, y: area.y, style: theme[.muted], clip: area)
            } else {
                Sparkline(values: values, range: range).render(into: &buffer, rect: area.row(0), style: style)
            }
        }
    }

    /// The failing and paused endpoint roles with their (sanitised) reasons.
    static func renderRoleHealth(_ health: RoleHealthViewModel, into buffer: inout CellBuffer, rect: Rect, theme: Theme) {
        guard !health.roles.isEmpty, rect.height > 0 else { return }
        let title = health.hasPausedRole ? "Endpoint roles need attention" : "Endpoint roles failing"
        buffer.writeLine(title, in: rect.row(0), style: health.hasPausedRole ? theme[.bad] : theme[.warning])
        for (i, role) in health.roles.enumerated() {
            let y = rect.y + 1 + i
            guard y < rect.maxY else { return }
            let row = Rect(x: rect.x, y: y, width: rect.width, height: 1)
            let cols = Layout.columns(row, [.fixed(10), .fixed(8), .fixed(24), .fill(1)], spacing: 1)
            buffer.write(role.name, x: cols[0].x, y: y, style: theme[.text], clip: cols[0])
            buffer.write(role.paused ? "PAUSED" : "failing", x: cols[1].x, y: y,
                         style: role.paused ? theme[.bad] : theme[.warning], clip: cols[1])
            let since = role.lastFailureAge.map { ", last " + Format.duration($0) + " ago" } ?? ""
            buffer.write("\(role.consecutiveFailures) failed\(since)", x: cols[2].x, y: y, style: theme[.muted], clip: cols[2])
            buffer.write(TextLayout.truncate(role.reason, width: cols[3].width), x: cols[3].x, y: y, style: theme[.text], clip: cols[3])
        }
        if health.hasPausedRole {
            let y = rect.y + 1 + health.roles.count
            if y < rect.maxY {
                buffer.write("paused roles refuse calls: fix the endpoint or its settings, then :resume",
                             x: rect.x + 1, y: y, style: theme[.muted], clip: rect)
            }
        }
    }
}
