import Foundation

/// One series of bin counts.
public struct HistogramSeries: Sendable, Hashable {
    public var name: String
    public var counts: [Int]
    public var style: Style

    public init(name: String, counts: [Int], style: Style) {
        self.name = name
        self.counts = counts
        self.style = style
    }
}

/// Vertical histogram of one or more series over `range`, with an optional vertical marker
/// line (the δ threshold) and an x-axis line. Series of a bin are drawn side by side.
public struct Histogram: Sendable {
    public var series: [HistogramSeries]
    public var range: ClosedRange<Double>
    public var marker: Double?
    public var markerLabel: String?

    public init(series: [HistogramSeries], range: ClosedRange<Double>, marker: Double? = nil, markerLabel: String? = nil) {
        self.series = series
        self.range = range
        self.marker = marker
        self.markerLabel = markerLabel
    }

    /// Counts of `values` in `bins` equal-width bins over `range` (values outside are clamped).
    public static func bin(_ values: [Double], bins: Int, range: ClosedRange<Double>) -> [Int] {
        guard bins > 0 else { return [] }
        var counts = Array(repeating: 0, count: bins)
        let span = range.upperBound - range.lowerBound
        for v in values where v.isFinite {
            let t = span > 0 ? (v - range.lowerBound) / span : 0
            counts[min(bins - 1, max(0, Int(t * Double(bins))))] += 1
        }
        return counts
    }

    /// The column (inside `rect`) where a value falls.
    public func column(of value: Double, in rect: Rect) -> Int {
        let span = range.upperBound - range.lowerBound
        let t = span > 0 ? (value - range.lowerBound) / span : 0
        return rect.x + min(rect.width - 1, max(0, Int((t * Double(rect.width)).rounded(.down))))
    }

    public func render(into buffer: inout CellBuffer, rect: Rect, theme: Theme) {
        guard rect.width > 0, rect.height >= 2, let bins = series.map(\.counts.count).max(), bins > 0 else { return }
        let plot = Rect(x: rect.x, y: rect.y, width: rect.width, height: rect.height - 1)
        let top = max(1, series.flatMap(\.counts).max() ?? 1)
        let columnsPerBin = max(1, plot.width / bins)
        let perSeries = max(1, columnsPerBin / max(1, series.count))
        for bin in 0..<bins {
            for (si, s) in series.enumerated() where bin < s.counts.count {
                let x = plot.x + bin * columnsPerBin + si * perSeries
                let eighths = Int((Double(s.counts[bin]) / Double(top) * Double(plot.height * 8)).rounded())
                for level in 0..<plot.height {
                    let filled = eighths - level * 8
                    guard filled > 0 else { break }
                    let ch = filled >= 8 ? "█" : String(BarChart.verticalEighths[filled - 1])
                    buffer.write(String(repeating: ch, count: perSeries), x: x, y: plot.maxY - 1 - level, style: s.style, clip: plot)
                }
            }
        }
        let axisWidth = min(plot.width, bins * columnsPerBin)
        buffer.write(String(repeating: "─", count: axisWidth), x: rect.x, y: rect.maxY - 1, style: theme[.border], clip: rect)
        if let marker {
            let axis = Rect(x: rect.x, y: rect.y, width: axisWidth, height: rect.height)
            let mx = column(of: marker, in: axis)
            for y in plot.y..<plot.maxY {
                buffer.write("│", x: mx, y: y, style: theme[.deltaLine], clip: rect)
            }
            buffer.write("┴", x: mx, y: rect.maxY - 1, style: theme[.deltaLine], clip: rect)
            if let markerLabel {
                let lx = min(mx + 1, rect.maxX - DisplayWidth.of(markerLabel))
                buffer.write(markerLabel, x: max(rect.x, lx), y: rect.y, style: theme[.deltaLine], clip: rect)
            }
        }
    }
}
