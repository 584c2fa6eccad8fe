import Foundation
import TerminalUI

/// Screen 3: teacher vs student judge-score histograms, the MFD histogram with the δ line
/// (`+`/`-` move it and show the resulting hard count), and judge consistency.
enum ScoresScreen {
    static func render(_ state: inout DashboardState, into buffer: inout CellBuffer, rect: Rect, theme: Theme) {
        let vm = state.data.scores
        let parts = Layout.rows(rect, [.fill(1), .fixed(1), .fill(1), .fixed(1)])
        // Judge scores are 1–10: one bin per point.
        let top = parts[0]
        let header = "Judge scores" + (vm.round.map { " · round \($0)" } ?? "")
        buffer.writeLine(header, in: top.row(0), style: theme[.title])
        var legendX = top.x + DisplayWidth.of(header) + 3
        legendX = buffer.write("█ teacher \(vm.teacherScores.count)", x: legendX, y: top.y, style: theme[.histogramTeacher], clip: top) + 2
        buffer.write("█ student \(vm.studentScores.count)", x: legendX, y: top.y, style: theme[.histogramStudent], clip: top)
        let scoreRange = 0.5...10.5
        let teacher = Histogram.bin(vm.teacherScores, bins: 10, range: scoreRange)
        let student = Histogram.bin(vm.studentScores, bins: 10, range: scoreRange)
        let scoreRect = Rect(x: top.x, y: top.y + 1, width: top.width, height: top.height - 2)
        Histogram(series: [
            HistogramSeries(name: "teacher", counts: teacher, style: theme[.histogramTeacher]),
            HistogramSeries(name: "student", counts: student, style: theme[.histogramStudent]),
        ], range: scoreRange).render(into: &buffer, rect: scoreRect, theme: theme)
        axisLabels(&buffer, Rect(x: top.x, y: top.maxY - 1, width: top.width, height: 1), bins: 10, first: 1, step: 1, theme: theme)

        let delta = state.shownDelta
        let hard = vm.hardCount(at: delta)
        var line = String(format: "MFD (teacher − student) · δ %.2f → %d of %d hard", delta, hard, vm.mfd.count)
        if state.deltaDraft != nil { line += "  (enter applies it for the next round)" } else if let n = vm.nextDelta, n != vm.delta {
            line += String(format: "  · next round uses δ %.2f", n)
        }
        buffer.writeLine(line, in: parts[1], style: theme[.title])
        let lo = min(-1, (vm.mfd.min() ?? 0).rounded(.down))
        let hi = max(delta + 1, (vm.mfd.max() ?? 1).rounded(.up))
        let bins = max(1, Int((hi - lo) * 2))
        let mfdRect = Rect(x: parts[2].x, y: parts[2].y, width: parts[2].width, height: parts[2].height - 1)
        Histogram(series: [HistogramSeries(name: "mfd", counts: Histogram.bin(vm.mfd, bins: bins, range: lo...hi), style: theme[.accent])],
                  range: lo...hi, marker: delta, markerLabel: String(format: "δ %.2f", delta))
            .render(into: &buffer, rect: mfdRect, theme: theme)
        axisLabels(&buffer, Rect(x: parts[2].x, y: parts[2].maxY - 1, width: parts[2].width, height: 1), bins: bins, first: lo, step: 0.5, theme: theme)
        let consistency = "judge consistency across orders: " + Format.percent(vm.consistency)
        buffer.writeLine(consistency, in: parts[3], style: theme[.muted])
    }

    /// Labels under a histogram's bins (every few bins so they do not collide).
    static func axisLabels(_ buffer: inout CellBuffer, _ rect: Rect, bins: Int, first: Double, step: Double, theme: Theme) {
        guard bins > 0, rect.width > 0 else { return }
        let perBin = max(1, rect.width / bins)
        let every = max(1, Int((5.0 / Double(perBin)).rounded(.up)))
        for bin in stride(from: 0, to: bins, by: every) {
            let v = first + Double(bin) * step
            let text = v == v.rounded() ? String(Int(v)) : String(format: "%.1f", v)
            buffer.write(text, x: rect.x + bin * perBin, y: rect.y, style: theme[.muted], clip: rect)
        }
    }
}
