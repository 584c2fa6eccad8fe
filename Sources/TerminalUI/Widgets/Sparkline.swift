/// Values as a row of block heights `▁▂▃▄▅▆▇█`; the newest values win when space is short.
public struct Sparkline: Sendable {
    public static let levels: [Character] = ["▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"]
    public var values: [Double]
    /// Fixed scale; when nil the values' own min…max is used.
    public var range: ClosedRange<Double>?

    public init(values: [Double], range: ClosedRange<Double>? = nil) {
        self.values = values
        self.range = range
    }

    /// The sparkline text for at most `width` values.
    public func text(width: Int) -> String {
        let shown = values.suffix(max(0, width)).filter { $0.isFinite }
        guard let lo0 = range?.lowerBound ?? shown.min(), let hi0 = range?.upperBound ?? shown.max() else { return "" }
        let span = hi0 - lo0
        return String(shown.map { v -> Character in
            guard span > 0 else { return Sparkline.levels[3] }
            let t = min(1, max(0, (v - lo0) / span))
            return Sparkline.levels[min(7, Int((t * 7).rounded()))]
        })
    }

    public func render(into buffer: inout CellBuffer, rect: Rect, style: Style) {
        guard rect.height > 0 else { return }
        buffer.write(text(width: rect.width), x: rect.x, y: rect.y, style: style, clip: rect)
    }
}
