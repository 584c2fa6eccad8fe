import Foundation

/// One bar: a label, a value and an optional second value drawn as a marker (e.g. a target).
public struct Bar: Sendable, Hashable {
    public var label: String
    public var value: Double
    public var marker: Double?
    public var style: Style?

    public init(label: String, value: Double, marker: Double? = nil, style: Style? = nil) {
        self.label = label
        self.value = value
        self.marker = marker
        self.style = style
    }
}

/// Horizontal or vertical bar chart with eighth-block resolution.
public struct BarChart: Sendable {
    public enum Orientation: Sendable { case horizontal, vertical }
    static let horizontalEighths: [Character] = ["▏", "▎", "▍", "▌", "▋", "▊", "▉", "█"]
    static let verticalEighths: [Character] = ["▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"]

    public var bars: [Bar]
    public var orientation: Orientation
    /// The value of a full-length bar; the largest value (or marker) when nil.
    public var maxValue: Double?
    /// Formats the value printed after a horizontal bar.
    public var format: @Sendable (Double) -> String

    public init(bars: [Bar], orientation: Orientation = .horizontal, maxValue: Double? = nil,
                format: @escaping @Sendable (Double) -> String = { BarChart.compact($0) }) {
        self.bars = bars
        self.orientation = orientation
        self.maxValue = maxValue
        self.format = format
    }

    /// `12`, `3.5`, `12.3k`, `4.1M`.
    public static func compact(_ v: Double) -> String {
        let a = abs(v)
        if a >= 1_000_000 { return String(format: "%.1fM", v / 1_000_000) }
        if a >= 10_000 { return String(format: "%.1fk", v / 1000) }
        if v == v.rounded() { return String(Int(v)) }
        return String(format: a < 1 ? "%.3f" : "%.1f", v)
    }

    public func render(into buffer: inout CellBuffer, rect: Rect, theme: Theme) {
        guard !rect.isEmpty, !bars.isEmpty else { return }
        let top = maxValue ?? bars.map { max($0.value, $0.marker ?? 0) }.max() ?? 1
        let scale = top > 0 ? top : 1
        switch orientation {
        case .horizontal: renderHorizontal(&buffer, rect, theme, scale)
        case .vertical: renderVertical(&buffer, rect, theme, scale)
        }
    }

    private func renderHorizontal(_ buffer: inout CellBuffer, _ rect: Rect, _ theme: Theme, _ scale: Double) {
        let labelWidth = min(rect.width / 3, bars.map { DisplayWidth.of($0.label) }.max() ?? 0)
        let valueTexts = bars.map { format($0.value) }
        let valueWidth = valueTexts.map { DisplayWidth.of($0) }.max() ?? 0
        let barWidth = max(1, rect.width - labelWidth - valueWidth - 2)
        for (i, bar) in bars.prefix(rect.height).enumerated() {
            let y = rect.y + i
            buffer.write(TextLayout.pad(bar.label, width: labelWidth), x: rect.x, y: y, style: theme[.text], clip: rect)
            let style = bar.style ?? Style(foreground: theme.rampColor(i), background: theme[.text].background)
            let eighths = Int((max(0, min(1, bar.value / scale)) * Double(barWidth * 8)).rounded())
            var text = String(repeating: "█", count: eighths / 8)
            if eighths % 8 > 0 { text.append(BarChart.horizontalEighths[eighths % 8 - 1]) }
            let x0 = rect.x + labelWidth + 1
            buffer.write(text, x: x0, y: y, style: style, clip: rect)
            if let m = bar.marker {
                let mx = x0 + min(barWidth - 1, Int((max(0, m) / scale * Double(barWidth)).rounded(.down)))
                buffer.write("┃", x: mx, y: y, style: theme[.deltaLine], clip: rect)
            }
            buffer.write(TextLayout.pad(valueTexts[i], width: valueWidth, alignment: .right), x: x0 + barWidth + 1, y: y, style: theme[.muted], clip: rect)
        }
    }

    private func renderVertical(_ buffer: inout CellBuffer, _ rect: Rect, _ theme: Theme, _ scale: Double) {
        let plotHeight = max(1, rect.height - 1)
        let slot = max(1, rect.width / bars.count)
        let barWidth = max(1, slot - 1)
        for (i, bar) in bars.enumerated() {
            let x = rect.x + i * slot
            guard x < rect.maxX else { break }
            let style = bar.style ?? Style(foreground: theme.rampColor(i), background: theme[.text].background)
            let eighths = Int((max(0, min(1, bar.value / scale)) * Double(plotHeight * 8)).rounded())
            for level in 0..<plotHeight {
                let y = rect.y + plotHeight - 1 - level
                let filled = eighths - level * 8
                guard filled > 0 else { break }
                let ch = filled >= 8 ? "█" : String(BarChart.verticalEighths[filled - 1])
                buffer.write(String(repeating: ch, count: barWidth), x: x, y: y, style: style, clip: rect)
            }
            if let m = bar.marker {
                let level = min(plotHeight - 1, Int(max(0, m) / scale * Double(plotHeight)))
                buffer.write(String(repeating: "━", count: barWidth), x: x, y: rect.y + plotHeight - 1 - level, style: theme[.deltaLine], clip: rect)
            }
            if rect.height > 1 {
                buffer.write(TextLayout.truncate(bar.label, width: barWidth, ellipsis: ""), x: x, y: rect.maxY - 1, style: theme[.muted], clip: rect)
            }
        }
    }
}
