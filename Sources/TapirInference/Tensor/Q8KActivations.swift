/// Activation vectors quantised to int8 per block of 256 (ggml's `Q8_K`, the partner of the
/// K-quant weight formats): per block a `Float` scale `d` with `x ≈ d * q`, and the sums of
/// each run of 16 quants (`bsums`), used for the weights' offset terms.
///
/// Quantisation is ggml's `quantize_row_q8_K_ref` (which its x86 build uses for one token,
/// and whose values its 4-row interleaved quantiser reproduces): `max` is the first element
/// of largest magnitude, `iscale = -127 / max`, `q = min(127, round-half-even(iscale·x))`,
/// `d = 1 / iscale`.
final class Q8KActivations: @unchecked Sendable {
    static let blockSize = 256
    let rows: Int
    let columns: Int
    let blocks: Int
    /// Quants in element order, `columns` per row.
    let qs: UnsafeMutablePointer<Int8>
    /// d per block, at `row * blocks + block`.
    let scales: UnsafeMutablePointer<Float>
    /// Σ of quants 16i..<16i+16 of each block, 16 per block, at `(row * blocks + block) * 16 + i`.
    let bsums: UnsafeMutablePointer<Int16>

    init(rows: Int, columns: Int) {
        precondition(columns % Self.blockSize == 0, "Q8_K rows hold whole blocks of 256")
        self.rows = rows
        self.columns = columns
        blocks = columns / Self.blockSize
        qs = .allocate(capacity: max(1, rows * columns))
        scales = .allocate(capacity: max(1, rows * blocks))
        bsums = .allocate(capacity: max(1, rows * blocks * 16))
    }

    deinit {
        qs.deallocate()
        scales.deallocate()
        bsums.deallocate()
    }

    /// Quantises every row from `x` (`rows × columns` floats).
    func quantize(from x: UnsafePointer<Float>) {
        for r in 0..<rows { quantize(row: r, from: x + r * columns) }
    }

    /// Quantises row `r` from `x` (`columns` floats).
    func quantize(row r: Int, from x: UnsafePointer<Float>) {
        for b in 0..<blocks {
            let src = x + b * Self.blockSize
            let q = qs + r * columns + b * Self.blockSize
            let sums = bsums + (r * blocks + b) * 16
            var amax: Float = 0, mx: Float = 0
            for j in 0..<Self.blockSize {
                let a = Swift.abs(src[j])
                if a > amax {
                    amax = a
                    mx = src[j]
                }
            }
            guard amax != 0 else {
                scales[r * blocks + b] = 0
                q.update(repeating: 0, count: Self.blockSize)
                sums.update(repeating: 0, count: 16)
                continue
            }
            let iscale = -127 / mx
            for j in 0..<Self.blockSize {
                q[j] = Int8(min(127, Int32((iscale * src[j]).rounded(.toNearestOrEven))))
            }
            for i in 0..<16 {
                var s: Int32 = 0
                for j in 0..<16 { s += Int32(q[16 * i + j]) }
                sums[i] = Int16(s)
            }
            scales[r * blocks + b] = 1 / iscale
        }
    }
}
