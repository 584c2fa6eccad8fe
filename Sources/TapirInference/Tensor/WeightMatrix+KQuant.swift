/// Q4_K and Q6_K weights multiplied with `Q8_K` activations in llama.cpp's x86 orders, so the
/// results are bit-identical to its CPU backend:
///
/// - Q4_K, rows a multiple of 8 (ggml repacks these as `q4_K_8x8`): per super-block the
///   exact integers I = Σⱼ scⱼ·dotⱼ and M = Σⱼ mⱼ·Sⱼ. Tokens handled by ggml's GEMV (one
///   token, or the last `n % 4` of a batch of n) accumulate
///   `acc = fma(I, d·d_a, acc)`, `accₘ = fma(M, dmin·d_a, accₘ)` once per super-block; tokens
///   of its GEMM (the first `n − n % 4` when n ≥ 4) do the same once per 64 elements (I and M
///   over two sub-blocks). The result is `acc − accₘ`.
/// - Q4_K, other row counts (`ggml_vec_dot_q4_K_q8_K`): 8 Float lanes, each
///   `fma(d_a·d, lane integer)` per super-block, plus 4 offset lanes
///   `fma(−d_a·dmin, m₂ₚS₂ₚ + m₂ₚ₊₁S₂ₚ₊₁)`; reduced as `hsum8(acc) + ((o0+o2)+(o1+o3))`.
/// - Q6_K (`ggml_vec_dot_q6_K_q8_K`): 8 Float lanes `fma(d_a·d, lane integer)` per
///   super-block, reduced by `hsum8`.
extension WeightMatrix {
    static let kBlockBytesQ4 = 144
    static let kBlockBytesQ6 = 210

    var isKQuant: Bool { type == .q4_K || type == .q6_K }

    /// `out[b * outStride + r] = row r · x[b]` for rows `range`, every batch item, through
    /// `Q8_K` activations quantised here from `x`.
    func multiplyKQuant(
        rows range: Range<Int>, batch: Int, x: UnsafePointer<Float>,
        out: UnsafeMutablePointer<Float>, outStride: Int
    ) {
        guard !range.isEmpty, batch > 0 else { return }
        let q8 = Q8KActivations(rows: batch, columns: columns)
        q8.quantize(from: x)
        multiplyKQuant(rows: range, q8: q8, out: out, outStride: outStride)
    }

    /// As above, with the activations already quantised (`q8.rows` batch items).
    func multiplyKQuant(rows range: Range<Int>, q8: Q8KActivations, out: UnsafeMutablePointer<Float>, outStride: Int) {
        let batch = q8.rows
        let gemmTokens = batch - batch % 4
        for r in range {
            for t in 0..<batch {
                out[t * outStride + r] = kDot(row: r, token: t, q8: q8, gemm: t < gemmTokens)
            }
        }
    }

    /// Row `r` · activation row `t`, in the order ggml uses for this matrix; `gemm` says whether
    /// ggml's batched kernel handles token `t` (only matters for repacked Q4_K).
    func kDot(row r: Int, token t: Int, q8: Q8KActivations, gemm: Bool) -> Float {
        let nb = q8.blocks
        let row = raw + r * rawRowBytes
        let a = UnsafeRawPointer(q8.qs + t * columns)
        let ad = q8.scales + t * nb, bsums = q8.bsums + t * nb * 16
        if type == .q6_K {
            var acc = SIMD8<Float>.zero
            for b in 0..<nb {
                let blk = row + b * Self.kBlockBytesQ6
                let d = ad[b] * Dequantize.f16(blk, 208)
                let s = KQuantDot.q6K(blk, a + b * 256, bsums + b * 16)
                acc = acc.addingProduct(SIMD8(repeating: d), SIMD8<Float>(s))
            }
            return hsum8(acc)
        }
        if rows % 8 == 0 {
            var acc: Float = 0, accMin: Float = 0
            for b in 0..<nb {
                let blk = row + b * Self.kBlockBytesQ4
                let (sc, mins) = KQuantDot.q4KScalesMins(blk + 4)
                let dd = Dequantize.f16(blk, 0) * ad[b], dm = Dequantize.f16(blk, 2) * ad[b]
                let p = KQuantDot.q4K(blk, a + b * 256, sc).pairs
                let m = KQuantDot.q4KMins(mins, bsums + b * 16)
                if gemm {
                    for k in 0..<4 {
                        acc = acc.addingProduct(Float(p[k]), dd)
                        accMin = accMin.addingProduct(Float(m[k]), dm)
                    }
                } else {
                    acc = acc.addingProduct(Float(p.wrappedSum()), dd)
                    accMin = accMin.addingProduct(Float(m.wrappedSum()), dm)
                }
            }
            return acc - accMin
        }
        var acc = SIMD8<Float>.zero, accMin = SIMD4<Float>.zero
        for b in 0..<nb {
            let blk = row + b * Self.kBlockBytesQ4
            let (sc, mins) = KQuantDot.q4KScalesMins(blk + 4)
            let d = ad[b] * Dequantize.f16(blk, 0), dmin = -ad[b] * Dequantize.f16(blk, 2)
            let lanes = KQuantDot.q4K(blk, a + b * 256, sc).lanes
            let m = KQuantDot.q4KMins(mins, bsums + b * 16)
            accMin = accMin.addingProduct(SIMD4(repeating: dmin), SIMD4<Float>(m))
            acc = acc.addingProduct(SIMD8(repeating: d), SIMD8<Float>(lanes))
        }
        return hsum8(acc) + ((accMin[0] + accMin[2]) + (accMin[1] + accMin[3]))
    }
}
