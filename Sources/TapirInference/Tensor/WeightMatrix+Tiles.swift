/// Tiled products for Q4_0 (ggml's repacked order: per block the exact integer sum,
/// FMA-accumulated with d_w·d_a; see `dot(row:token:q8:)`). Each micro-kernel computes 8 or 16
/// (row, token) products at once — 8 rows × 1 token for single-token decode, 2 rows × 4
/// tokens for small batches, 2 rows × 8 tokens otherwise — so a weight block is loaded once for several tokens and an activation
/// block once for several rows, and the 8 per-block integer sums are reduced together. Per
/// product the float operations are those of `dot(row:token:q8:)`, in the same order, so the
/// results are bit-identical to it.
extension WeightMatrix {
    /// Rows per block of the batched loop: their quants stay in L1 while every token passes.
    static let rowBlock = 16

    /// The tile walk shared by every tiled product: one token goes by 8-row groups
    /// (`group`); a batch by blocks of `rowBlock` rows, every token passing each block, in
    /// tiles of 4 tokens (`narrow`) or, for more than 4 tokens, 8 (`wide`), which take
    /// `wideRows` and 2 rows at a time. The tile calls get (row, row block end, token).
    @inline(__always) func forEachTile(
        _ range: Range<Int>, batch: Int, wideRows: Int,
        group: (Int) -> Void, narrow: (Int, Int, Int) -> Void, wide: (Int, Int, Int) -> Void
    ) {
        if batch == 1 {
            var g = range.lowerBound >> 3
            while g * 8 < range.upperBound {
                group(g)
                g += 1
            }
            return
        }
        let isWide = batch > 4
        var r0 = range.lowerBound
        while r0 < range.upperBound {
            let rEnd = min(r0 + Self.rowBlock, range.upperBound)
            var t = 0
            while t < batch {
                var r = r0
                while r < rEnd {
                    if isWide {
                        wide(r, rEnd, t)
                        r += wideRows
                    } else {
                        narrow(r, rEnd, t)
                        r += 2
                    }
                }
                t += isWide ? 8 : 4
            }
            r0 = rEnd
        }
    }

    @inline(__always) func tiled<F: BlockFormat>(
        _ f: F.Type, _ range: Range<Int>, _ batch: Int, _ q8: Q8Activations,
        _ out: UnsafeMutablePointer<Float>, _ outStride: Int
    ) {
        forEachTile(range, batch: batch, wideRows: 2,
                    group: { tile8x1(f, group: $0, token: 0, range: range, q8, out, outStride) },
                    narrow: { tile2x4(f, row: $0, rowEnd: $1, token: $2, batch: batch, q8, out, outStride) },
                    wide: { tile2x8(f, row: $0, rowEnd: $1, token: $2, batch: batch, q8, out, outStride) })
    }

    /// Rows `8g ..< 8g + 8` (those inside `range` are stored) × token `t`.
    @inline(__always) func tile8x1<F: BlockFormat>(
        _: F.Type, group g: Int, token t: Int, range: Range<Int>, _ q8: Q8Activations,
        _ out: UnsafeMutablePointer<Float>, _ outStride: Int
    ) {
        let nb = blocksPerRow, qb = F.quantBytes
        let base = g * nb * 8
        let s = scales! + base, q = UnsafeRawPointer(quants! + base * qb)
        let a = UnsafeRawPointer(q8.qs + t * columns)
        let ad = q8.scales + t * nb
        var acc = SIMD8<Float>.zero
        for b in 0..<nb {
            let w = q + b * 8 * qb, x = a + b * 32
            let i = transposedSums(
                F.product(F.prepare(w), x), F.product(F.prepare(w + qb), x),
                F.product(F.prepare(w + 2 * qb), x), F.product(F.prepare(w + 3 * qb), x),
                F.product(F.prepare(w + 4 * qb), x), F.product(F.prepare(w + 5 * qb), x),
                F.product(F.prepare(w + 6 * qb), x), F.product(F.prepare(w + 7 * qb), x))
            let d = UnsafeRawPointer(s + b * 8).load(as: SIMD8<Float>.self)
            acc = acc.addingProduct(SIMD8<Float>(i), d * SIMD8(repeating: ad[b]))
        }
        let result = acc
        for l in 0..<8 where range.contains(g * 8 + l) {
            out[t * outStride + g * 8 + l] = result[l]
        }
    }

    /// Rows `r`, `r + 1` (if below `rowEnd`) × tokens `t ..< t + 4` (those below `batch`).
    /// Lane `4i + j` holds row `r + i`, token `t + j`.
    @inline(__always) func tile2x4<F: BlockFormat>(
        _: F.Type, row r: Int, rowEnd: Int, token t: Int, batch: Int, _ q8: Q8Activations,
        _ out: UnsafeMutablePointer<Float>, _ outStride: Int
    ) {
        let nb = blocksPerRow, qb = F.quantBytes, cols = columns, pr = q8.paddedRows
        let r1 = min(r + 1, paddedRows - 1)
        let s0 = scales! + slot(r), s1 = scales! + slot(r1)
        let q0 = UnsafeRawPointer(quants! + slot(r) * qb), q1 = UnsafeRawPointer(quants! + slot(r1) * qb)
        // Tokens past `batch` read the zeroed padding rows of `q8` (t + 3 < paddedRows).
        let a = UnsafeRawPointer(q8.qs + t * cols)
        var acc = SIMD8<Float>.zero
        for b in 0..<nb {
            let w0 = F.prepare(q0 + b * 8 * qb), w1 = F.prepare(q1 + b * 8 * qb)
            let x = a + b * 32
            let i = transposedSums(
                F.product(w0, x), F.product(w0, x + cols), F.product(w0, x + 2 * cols), F.product(w0, x + 3 * cols),
                F.product(w1, x), F.product(w1, x + cols), F.product(w1, x + 2 * cols), F.product(w1, x + 3 * cols))
            let d = SIMD8<Float>(lowHalf: SIMD4(repeating: s0[b * 8]), highHalf: SIMD4(repeating: s1[b * 8]))
            let ad4 = UnsafeRawPointer(q8.scalesByBlock + b * pr + t).load(as: SIMD4<Float>.self)
            acc = acc.addingProduct(SIMD8<Float>(i), d * SIMD8(lowHalf: ad4, highHalf: ad4))
        }
        let result = acc
        for i in 0..<2 where r + i < rowEnd {
            for j in 0..<4 where t + j < batch {
                out[(t + j) * outStride + r + i] = result[4 * i + j]
            }
        }
    }

    /// Rows `r`, `r + 1` (if below `rowEnd`) × tokens `t ..< t + 8` (those below `batch`;
    /// `t` is a multiple of 8). Lane `j` of row `i`'s vectors holds token `t + j`.
    @inline(__always) func tile2x8<F: BlockFormat>(
        _: F.Type, row r: Int, rowEnd: Int, token t: Int, batch: Int, _ q8: Q8Activations,
        _ out: UnsafeMutablePointer<Float>, _ outStride: Int
    ) {
        let nb = blocksPerRow, qb = F.quantBytes, cols = columns, pr = q8.paddedRows
        let r1 = min(r + 1, paddedRows - 1)
        let s0 = scales! + slot(r), s1 = scales! + slot(r1)
        let q0 = UnsafeRawPointer(quants! + slot(r) * qb), q1 = UnsafeRawPointer(quants! + slot(r1) * qb)
        // Tokens past `batch` read the zeroed padding rows of `q8` (t + 7 < paddedRows).
        let a = UnsafeRawPointer(q8.qs + t * cols)
        var acc0 = SIMD8<Float>.zero, acc1 = SIMD8<Float>.zero
        for b in 0..<nb {
            let x = a + b * 32
            let ad = UnsafeRawPointer(q8.scalesByBlock + b * pr + t).load(as: SIMD8<Float>.self)
            let w0 = F.prepare(q0 + b * 8 * qb)
            let i0 = transposedSums(
                F.product(w0, x), F.product(w0, x + cols), F.product(w0, x + 2 * cols), F.product(w0, x + 3 * cols),
                F.product(w0, x + 4 * cols), F.product(w0, x + 5 * cols), F.product(w0, x + 6 * cols), F.product(w0, x + 7 * cols))
            let d0 = SIMD8<Float>(repeating: s0[b * 8])
            acc0 = acc0.addingProduct(SIMD8<Float>(i0), d0 * ad)
            let w1 = F.prepare(q1 + b * 8 * qb)
            let i1 = transposedSums(
                F.product(w1, x), F.product(w1, x + cols), F.product(w1, x + 2 * cols), F.product(w1, x + 3 * cols),
                F.product(w1, x + 4 * cols), F.product(w1, x + 5 * cols), F.product(w1, x + 6 * cols), F.product(w1, x + 7 * cols))
            let d1 = SIMD8<Float>(repeating: s1[b * 8])
            acc1 = acc1.addingProduct(SIMD8<Float>(i1), d1 * ad)
        }
        let results = (acc0, acc1)
        for j in 0..<8 where t + j < batch {
            out[(t + j) * outStride + r] = results.0[j]
            if r + 1 < rowEnd { out[(t + j) * outStride + r + 1] = results.1[j] }
        }
    }
}
