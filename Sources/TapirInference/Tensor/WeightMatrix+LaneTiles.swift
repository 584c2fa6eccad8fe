/// Tiled products in ggml's lane order (Q4_1, Q8_0; see `dot(row:token:q8:)`): each (row,
/// token) pair keeps its own eight Float lanes, updated per block by one FMA exactly as the
/// per-row definition does, so the results are bit-identical to it. A tile of 8 pairs —
/// 8 rows × 1 token for single-token decode, 2 rows × 4 tokens for small batches, 1 row ×
/// 8 tokens for larger ones (walked by `forEachTile`) — loads each weight block once for
/// several tokens and each activation block once for several rows.
extension WeightMatrix {
    @inline(__always) func laneTiled<F: BlockFormat>(
        _ f: F.Type, withMins: Bool, _ range: Range<Int>, _ batch: Int, _ q8: Q8Activations,
        _ out: UnsafeMutablePointer<Float>, _ outStride: Int
    ) {
        forEachTile(range, batch: batch, wideRows: 1,
                    group: { laneTile8x1(f, withMins: withMins, group: $0, range: range, q8, out, outStride) },
                    narrow: { laneTile2x4(f, withMins: withMins, row: $0, rowEnd: $1, token: $2, batch: batch, q8, out, outStride) },
                    wide: { r, _, t in laneTile1x8(f, withMins: withMins, row: r, token: t, batch: batch, q8, out, outStride) })
    }

    /// Row `r` × tokens `t ..< t + 8` (those below `batch`; `t` is a multiple of 8). Eight
    /// accumulators leave the weight block, its scale and the constants in registers; the
    /// offset terms (Q4_1) are summed in a second pass, in the same block order.
    @inline(__always) func laneTile1x8<F: BlockFormat>(
        _: F.Type, withMins: Bool, row r: Int, token t: Int, batch: Int, _ q8: Q8Activations,
        _ out: UnsafeMutablePointer<Float>, _ outStride: Int
    ) {
        let nb = blocksPerRow, qb = F.quantBytes, cols = columns, pr = q8.paddedRows
        let first = slot(r)
        // Tokens past `batch` read the zeroed padding rows of `q8` (t + 7 < paddedRows).
        var x = UnsafeRawPointer(q8.qs + t &* cols)
        var w = UnsafeRawPointer(quants! + first &* qb)
        var s = UnsafePointer(scales! + first)
        var ad = UnsafePointer(q8.scalesByBlock + t)
        var c0 = SIMD8<Float>.zero, c1 = c0, c2 = c0, c3 = c0, c4 = c0, c5 = c0, c6 = c0, c7 = c0
        for _ in 0..<nb {
            let wp = F.prepare(w), d = s.pointee
            @inline(__always) func step(_ c: inout SIMD8<Float>, _ j: Int) {
                let xy = SIMD8<Float>(F.product(wp, x + j &* cols))
                c = c.addingProduct(xy, SIMD8<Float>(repeating: d * ad[j]))
            }
            step(&c0, 0); step(&c1, 1); step(&c2, 2); step(&c3, 3)
            step(&c4, 4); step(&c5, 5); step(&c6, 6); step(&c7, 7)
            w += 8 &* qb
            x += 32
            s += 8
            ad += pr
        }
        var offset = SIMD8<Float>.zero  // lane j: token t + j
        if withMins {
            var m = UnsafePointer(mins! + first), sums = UnsafeRawPointer(q8.sumsByBlock + t)
            for _ in 0..<nb {
                offset += SIMD8<Float>(repeating: m.pointee) * sums.loadUnaligned(as: SIMD8<Float>.self)
                m += 8
                sums += pr &* 4
            }
        }
        let h = SIMD8<Float>(hsum8(c0), hsum8(c1), hsum8(c2), hsum8(c3), hsum8(c4), hsum8(c5), hsum8(c6), hsum8(c7))
        for j in 0..<8 where t + j < batch {
            out[(t + j) * outStride + r] = withMins ? h[j] + offset[j] : h[j]
        }
    }

    /// Rows `8g ..< 8g + 8` (those inside `range` are stored) × token 0. The offset terms
    /// (Q4_1) are summed in a second pass, in the same block order, so the first keeps its
    /// accumulators and constants in registers.
    @inline(__always) func laneTile8x1<F: BlockFormat>(
        _: F.Type, withMins: Bool, group g: Int, range: Range<Int>, _ q8: Q8Activations,
        _ out: UnsafeMutablePointer<Float>, _ outStride: Int
    ) {
        let nb = blocksPerRow, qb = F.quantBytes
        let base = g &* nb &* 8
        var s = UnsafePointer(scales! + base), w = UnsafeRawPointer(quants! + base &* qb)
        var x = UnsafeRawPointer(q8.qs), ad = UnsafePointer(q8.scales)
        var c0 = SIMD8<Float>.zero, c1 = c0, c2 = c0, c3 = c0, c4 = c0, c5 = c0, c6 = c0, c7 = c0
        for _ in 0..<nb {
            let adb = ad.pointee
            @inline(__always) func step(_ c: inout SIMD8<Float>, _ l: Int) {
                let xy = SIMD8<Float>(F.product(F.prepare(w + l &* qb), x))
                c = c.addingProduct(xy, SIMD8<Float>(repeating: s[l] * adb))
            }
            step(&c0, 0); step(&c1, 1); step(&c2, 2); step(&c3, 3)
            step(&c4, 4); step(&c5, 5); step(&c6, 6); step(&c7, 7)
            w += 8 &* qb
            x += 32
            s += 8
            ad += 1
        }
        var offset = SIMD8<Float>.zero
        if withMins {
            var m = UnsafeRawPointer(mins! + base), asum = UnsafePointer(q8.sums)
            for _ in 0..<nb {
                offset += m.loadUnaligned(as: SIMD8<Float>.self) * SIMD8(repeating: asum.pointee)
                m += 32
                asum += 1
            }
        }
        let h = SIMD8<Float>(hsum8(c0), hsum8(c1), hsum8(c2), hsum8(c3), hsum8(c4), hsum8(c5), hsum8(c6), hsum8(c7))
        for l in 0..<8 where range.contains(g * 8 + l) {
            out[g * 8 + l] = withMins ? h[l] + offset[l] : h[l]
        }
    }

    /// Rows `r`, `r + 1` (if below `rowEnd`) × tokens `t ..< t + 4` (those below `batch`).
    @inline(__always) func laneTile2x4<F: BlockFormat>(
        _: F.Type, withMins: Bool, row r: Int, rowEnd: Int, token t: Int, batch: Int, _ q8: Q8Activations,
        _ out: UnsafeMutablePointer<Float>, _ outStride: Int
    ) {
        let nb = blocksPerRow, qb = F.quantBytes, cols = columns, pr = q8.paddedRows
        let r1 = min(r + 1, paddedRows - 1)
        let s0 = scales! + slot(r), s1 = scales! + slot(r1)
        let q0 = UnsafeRawPointer(quants! + slot(r) * qb), q1 = UnsafeRawPointer(quants! + slot(r1) * qb)
        // Tokens past `batch` read the zeroed padding rows of `q8` (t + 3 < paddedRows).
        let a = UnsafeRawPointer(q8.qs + t * cols)
        var c00 = SIMD8<Float>.zero, c01 = c00, c02 = c00, c03 = c00, c10 = c00, c11 = c00, c12 = c00, c13 = c00
        var offset = SIMD8<Float>.zero  // lane 4i + j: row r + i, token t + j
        for b in 0..<nb {
            let ad4 = UnsafeRawPointer(q8.scalesByBlock + b * pr + t).load(as: SIMD4<Float>.self)
            if withMins {
                let sum4 = UnsafeRawPointer(q8.sumsByBlock + b * pr + t).load(as: SIMD4<Float>.self)
                let m = SIMD8<Float>(lowHalf: SIMD4(repeating: mins![slot(r) + b * 8]), highHalf: SIMD4(repeating: mins![slot(r1) + b * 8]))
                offset += m * SIMD8(lowHalf: sum4, highHalf: sum4)
            }
            let x = a + b * 32
            let d0 = s0[b * 8], d1 = s1[b * 8]
            let w0 = F.prepare(q0 + b * 8 * qb)
            @inline(__always) func step(_ c: inout SIMD8<Float>, _ w: F.Prepared, _ d: Float, _ j: Int) {
                let xy = SIMD8<Float>(F.product(w, x + j * cols))
                c = c.addingProduct(xy, SIMD8<Float>(repeating: d * ad4[j]))
            }
            step(&c00, w0, d0, 0); step(&c01, w0, d0, 1); step(&c02, w0, d0, 2); step(&c03, w0, d0, 3)
            let w1 = F.prepare(q1 + b * 8 * qb)
            step(&c10, w1, d1, 0); step(&c11, w1, d1, 1); step(&c12, w1, d1, 2); step(&c13, w1, d1, 3)
        }
        let h = SIMD8<Float>(hsum8(c00), hsum8(c01), hsum8(c02), hsum8(c03), hsum8(c10), hsum8(c11), hsum8(c12), hsum8(c13))
        for i in 0..<2 where r + i < rowEnd {
            for j in 0..<4 where t + j < batch {
                out[(t + j) * outStride + r + i] = withMins ? h[4 * i + j] + offset[4 * i + j] : h[4 * i + j]
            }
        }
    }
}
