/// A small line chart drawn with braille dots (2×4 dots per cell), one or more series.
public struct LineChart: Sendable {
    public struct Series: Sendable {
        public var values: [Double]
        public var style: Style
        public init(values: [Double], style: Style) {
            self.values = values
            self.style = style
        }
    }

    public var series: [Series]
    /// Fixed y range; the data's min…max when nil.
    public var yRange: ClosedRange<Double>?

    public init(series: [Series], yRange: ClosedRange<Double>? = nil) {
        self.series = series
        self.yRange = yRange
    }

    public func render(into buffer: inout CellBuffer, rect: Rect, theme: Theme) {
        guard !rect.isEmpty else { return }
        let all = series.flatMap(\.values).filter(\.isFinite)
        guard let lo = yRange?.lowerBound ?? all.min(), let hi = yRange?.upperBound ?? all.max() else { return }
        let dotsW = rect.width * 2, dotsH = rect.height * 4
        for s in series {
            var dots = Array(repeating: UInt8(0), count: rect.width * rect.height)
            let n = s.values.count
            guard n > 0 else { continue }
            var previous: (Int, Int)? = nil
            for (i, v) in s.values.enumerated() where v.isFinite {
                let dx = n == 1 ? 0 : i * (dotsW - 1) / (n - 1)
                let t = hi > lo ? (v - lo) / (hi - lo) : 0.5
                let dy = (dotsH - 1) - Int((min(1, max(0, t)) * Double(dotsH - 1)).rounded())
                if let (px, py) = previous { line(&dots, rect.width, px, py, dx, dy) } else { set(&dots, rect.width, dx, dy) }
                previous = (dx, dy)
            }
            for cy in 0..<rect.height {
                for cx in 0..<rect.width {
                    let bits = dots[cy * rect.width + cx]
                    guard bits != 0 else { continue }
                    let ch = String(Character(Unicode.Scalar(0x2800 + UInt32(bits))!))
                    var style = s.style
                    style.background = theme[.text].background
                    buffer.write(ch, x: rect.x + cx, y: rect.y + cy, style: style, clip: rect)
                }
            }
        }
    }

    private func set(_ dots: inout [UInt8], _ width: Int, _ x: Int, _ y: Int) {
        let cx = x / 2, cy = y / 4
        guard cx >= 0, cy >= 0, cx < width, cy * width + cx < dots.count else { return }
        let bit: [[UInt8]] = [[0x01, 0x08], [0x02, 0x10], [0x04, 0x20], [0x40, 0x80]]
        dots[cy * width + cx] |= bit[y % 4][x % 2]
    }

    private func line(_ dots: inout [UInt8], _ width: Int, _ x0: Int, _ y0: Int, _ x1: Int, _ y1: Int) {
        var x = x0, y = y0
        let dx = abs(x1 - x0), dy = -abs(y1 - y0)
        let sx = x0 < x1 ? 1 : -1, sy = y0 < y1 ? 1 : -1
        var err = dx + dy
        while true {
            set(&dots, width, x, y)
            if x == x1 && y == y1 { break }
            let e2 = 2 * err
            if e2 >= dy { err += dy; x += sx }
            if e2 <= dx { err += dx; y += sy }
        }
    }
}
