/// Q4_K and Q6_K weights multiplied with `Q8_K` activations in llama.cpp's x86 orders
/// (AVX-512 build), so the results are bit-identical to its CPU backend. Every order starts
/// from the same exact integers per super-block — I = Σⱼ scⱼ·dotⱼ (Q6_K: Σ scⱼ·(dotⱼ − 32·Bⱼ))
/// and, for Q4_K, M = Σⱼ mⱼ·Sⱼ (Sⱼ the activation quants' sum over sub-block j) — and ggml
/// picks the kernel, hence the float order (`KOrder`), per matrix and batch size n:
///
/// - Q4_K with a multiple of 8 rows is repacked (`q4_K_8x8`): the first n − n % 4 tokens go
///   through its GEMM (`acc = fma(I, d·d_a, acc)`, `accₘ = fma(M, dmin·d_a, accₘ)` once per 64
///   elements), the rest through its GEMV (the same once per super-block); result acc − accₘ.
/// - Otherwise, n ≥ 8 uses ggml's tiled K-quant GEMM: per super-block
///   r = I·d − dmin·M (one fused step), `acc = acc + r·d_a`.
/// - n < 8 uses `ggml_vec_dot_q4_K_q8_K` / `_q6_K_q8_K`: 8 Float lanes `fma(d_a·d, lane
///   integer)` per super-block reduced by `hsum8`; Q4_K adds 4 offset lanes
///   `fma(−d_a·dmin, m₂ₚS₂ₚ + m₂ₚ₊₁S₂ₚ₊₁)` reduced as (o0 + o2) + (o1 + o3).
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
        if batch > 1 {
            if type == .q4_K {
                multiplyQ4KBatch(rows: range, q8: q8, out: out, outStride: outStride)
            } else {
                multiplyQ6KBatch(rows: range, q8: q8, out: out, outStride: outStride)
            }
            return
        }
        for r in range {
            for t in 0..<batch {
                out[t * outStride + r] = kDot(row: r, token: t, q8: q8, order: kOrder(token: t, batch: batch))
            }
        }
    }

    /// Which of ggml's x86 kernels computes a product, and so its summation order.
    enum KOrder {
        /// `ggml_vec_dot_q4_K_q8_K` / `ggml_vec_dot_q6_K_q8_K` (fewer than 8 tokens).
        case vecDot
        /// ggml's tiled K-quant GEMM (8 tokens or more, matrices not repacked): per
        /// super-block r = fnmadd(dmin, M, I·d) (Q6_K: I·d), then `acc = acc + r·d_a`.
        case tiled
        /// Repacked `q4_K_8x8` GEMV: one FMA per super-block.
        case repackedGEMV
        /// Repacked `q4_K_8x8` GEMM: one FMA per 64 elements.
        case repackedGEMM
    }

    /// Row `r` · activation row `t` in the summation order `order`.
    func kDot(row r: Int, token t: Int, q8: Q8KActivations, order: KOrder) -> Float {
        let nb = q8.blocks
        let row = raw + r * rawRowBytes
        let a = UnsafeRawPointer(q8.qs + t * columns)
        let ad = q8.scales + t * nb, bsums = q8.bsums + t * nb * 16
        if type == .q6_K {
            if order == .tiled {
                var acc: Float = 0
                for b in 0..<nb {
                    let blk = row + b * Self.kBlockBytesQ6
                    let i = KQuantDot.q6K(blk, a + b * 256, bsums + b * 16).wrappedSum()
                    acc += Float(i) * Dequantize.f16(blk, 208) * ad[b]
                }
                return acc
            }
            var acc = SIMD8<Float>.zero
            for b in 0..<nb {
                let blk = row + b * Self.kBlockBytesQ6
                let d = ad[b] * Dequantize.f16(blk, 208)
                let s = KQuantDot.q6K(blk, a + b * 256, bsums + b * 16)
                acc = acc.addingProduct(SIMD8(repeating: d), SIMD8<Float>(s))
            }
            return hsum8(acc)
        }
        switch order {
        case .repackedGEMV, .repackedGEMM, .tiled:
            var acc: Float = 0, accMin: Float = 0
            for b in 0..<nb {
                let blk = row + b * Self.kBlockBytesQ4
                let (sc, mins) = KQuantDot.q4KScalesMins(blk + 4)
                let dw = Dequantize.f16(blk, 0), dminw = Dequantize.f16(blk, 2)
                let m = KQuantDot.q4KMins(mins, bsums + b * 16)
                switch order {
                case .repackedGEMM:
                    let p = KQuantDot.q4KPairs(blk, a + b * 256, sc)
                    let dd = dw * ad[b], dm = dminw * ad[b]
                    for k in 0..<4 {
                        acc = acc.addingProduct(Float(p[k]), dd)
                        accMin = accMin.addingProduct(Float(m[k]), dm)
                    }
                case .repackedGEMV:
                    let i = KQuantDot.q4K(blk, a + b * 256, sc).wrappedSum()
                    acc = acc.addingProduct(Float(i), dw * ad[b])
                    accMin = accMin.addingProduct(Float(m.wrappedSum()), dminw * ad[b])
                default:
                    let i = KQuantDot.q4K(blk, a + b * 256, sc).wrappedSum()
                    let v = (Float(i) * dw).addingProduct(-dminw, Float(m.wrappedSum()))
                    acc += v * ad[b]
                }
            }
            return acc - accMin
        case .vecDot:
            var acc = SIMD8<Float>.zero, accMin = SIMD4<Float>.zero
            for b in 0..<nb {
                let blk = row + b * Self.kBlockBytesQ4
                let (sc, mins) = KQuantDot.q4KScalesMins(blk + 4)
                let d = ad[b] * Dequantize.f16(blk, 0), dmin = -ad[b] * Dequantize.f16(blk, 2)
                let lanes = KQuantDot.q4K(blk, a + b * 256, sc)
                let m = KQuantDot.q4KMins(mins, bsums + b * 16)
                accMin = accMin.addingProduct(SIMD4(repeating: dmin), SIMD4<Float>(m))
                acc = acc.addingProduct(SIMD8(repeating: d), SIMD8<Float>(lanes))
            }
            return hsum8(acc) + ((accMin[0] + accMin[2]) + (accMin[1] + accMin[3]))
        }
    }

    /// `kOrder` for token `t` of a batch of `batch` (ggml's kernel choice).
    @inline(__always) func kOrder(token t: Int, batch: Int) -> KOrder {
        if type == .q4_K && rows % 8 == 0 { return t < batch - batch % 4 ? .repackedGEMM : .repackedGEMV }
        return batch >= 8 ? .tiled : .vecDot
    }

    /// Q4_K rows × several tokens: each super-block is unpacked once for every token, whose
    /// accumulators take exactly the steps of `kDot` in its order.
    private func multiplyQ4KBatch(rows range: Range<Int>, q8: Q8KActivations, out: UnsafeMutablePointer<Float>, outStride: Int) {
        let nb = q8.blocks, batch = q8.rows
        let acc = UnsafeMutablePointer<Float>.allocate(capacity: 2 * batch)
        let lanes = UnsafeMutablePointer<SIMD8<Float>>.allocate(capacity: batch)
        let offsets = UnsafeMutablePointer<SIMD4<Float>>.allocate(capacity: batch)
        defer {
            acc.deallocate()
            lanes.deallocate()
            offsets.deallocate()
        }
        let accMin = acc + batch
        let orders = (0..<batch).map { kOrder(token: $0, batch: batch) }
        // Repacked GEMM tokens come in whole groups of 4, whose accumulators are vectors with
        // one lane per token.
        let groups = orders[0] == .repackedGEMM ? batch / 4 : 0
        let gAcc = UnsafeMutablePointer<SIMD4<Float>>.allocate(capacity: 2 * max(1, groups))
        defer { gAcc.deallocate() }
        let gAccMin = gAcc + max(1, groups)
        for r in range {
            acc.update(repeating: 0, count: 2 * batch)
            lanes.update(repeating: .zero, count: batch)
            offsets.update(repeating: .zero, count: batch)
            gAcc.update(repeating: .zero, count: 2 * max(1, groups))
            let row = raw + r * rawRowBytes
            for b in 0..<nb {
                let blk = row + b * Self.kBlockBytesQ4
                let (sc, mins) = KQuantDot.q4KScalesMins(blk + 4)
                let w = PreparedQ4K(blk, scales: sc)
                let dw = Dequantize.f16(blk, 0), dminw = Dequantize.f16(blk, 2)
                for g in 0..<groups {
                    let t0 = 4 * g
                    let a = UnsafeRawPointer(q8.qs + t0 * columns + b * 256)
                    let p = w.pairs4(a, a + columns, a + 2 * columns, a + 3 * columns)
                    @inline(__always) func minSums(_ i: Int) -> SIMD4<Int32> { KQuantDot.q4KMins(mins, q8.bsums + ((t0 + i) * nb + b) * 16) }
                    let m = KQuantDot.transpose((minSums(0), minSums(1), minSums(2), minSums(3)))
                    let ad = SIMD4(q8.scales[t0 * nb + b], q8.scales[(t0 + 1) * nb + b], q8.scales[(t0 + 2) * nb + b], q8.scales[(t0 + 3) * nb + b])
                    let dd = SIMD4(repeating: dw) * ad, dm = SIMD4(repeating: dminw) * ad
                    var va = gAcc[g], vm = gAccMin[g]
                    va = va.addingProduct(SIMD4<Float>(p.0), dd)
                    vm = vm.addingProduct(SIMD4<Float>(m.0), dm)
                    va = va.addingProduct(SIMD4<Float>(p.1), dd)
                    vm = vm.addingProduct(SIMD4<Float>(m.1), dm)
                    va = va.addingProduct(SIMD4<Float>(p.2), dd)
                    vm = vm.addingProduct(SIMD4<Float>(m.2), dm)
                    va = va.addingProduct(SIMD4<Float>(p.3), dd)
                    vm = vm.addingProduct(SIMD4<Float>(m.3), dm)
                    gAcc[g] = va
                    gAccMin[g] = vm
                }
                for t in (4 * groups)..<batch {
                    let a = UnsafeRawPointer(q8.qs + t * columns + b * 256)
                    let ad = q8.scales[t * nb + b]
                    let m = KQuantDot.q4KMins(mins, q8.bsums + (t * nb + b) * 16)
                    switch orders[t] {
                    case .repackedGEMM:
                        let p = w.pairs(a)
                        let dd = dw * ad, dm = dminw * ad
                        for k in 0..<4 {
                            acc[t] = acc[t].addingProduct(Float(p[k]), dd)
                            accMin[t] = accMin[t].addingProduct(Float(m[k]), dm)
                        }
                    case .repackedGEMV:
                        acc[t] = acc[t].addingProduct(Float(w.lanes(a).wrappedSum()), dw * ad)
                        accMin[t] = accMin[t].addingProduct(Float(m.wrappedSum()), dminw * ad)
                    case .tiled:
                        let v = (Float(w.lanes(a).wrappedSum()) * dw).addingProduct(-dminw, Float(m.wrappedSum()))
                        acc[t] += v * ad
                    case .vecDot:
                        let d = ad * dw, dmin = -ad * dminw
                        offsets[t] = offsets[t].addingProduct(SIMD4(repeating: dmin), SIMD4<Float>(m))
                        lanes[t] = lanes[t].addingProduct(SIMD8(repeating: d), SIMD8<Float>(w.lanes(a)))
                    }
                }
            }
            for t in 0..<(4 * groups) { out[t * outStride + r] = gAcc[t / 4][t % 4] - gAccMin[t / 4][t % 4] }
            for t in (4 * groups)..<batch {
                let o = offsets[t]
                out[t * outStride + r] = orders[t] == .vecDot
                    ? hsum8(lanes[t]) + ((o[0] + o[2]) + (o[1] + o[3]))
                    : acc[t] - accMin[t]
            }
        }
    }

    /// Q6_K rows × several tokens: each super-block is unpacked once for every token, whose
    /// accumulators take exactly the steps of `kDot` in its order.
    private func multiplyQ6KBatch(rows range: Range<Int>, q8: Q8KActivations, out: UnsafeMutablePointer<Float>, outStride: Int) {
        let nb = q8.blocks, batch = q8.rows
        let tiled = kOrder(token: 0, batch: batch) == .tiled
        let acc = UnsafeMutablePointer<Float>.allocate(capacity: batch)
        let lanes = UnsafeMutablePointer<SIMD8<Float>>.allocate(capacity: batch)
        // Tiled order: whole groups of 4 tokens accumulate as vectors, one lane per token.
        let groups = tiled ? batch / 4 : 0
        let gAcc = UnsafeMutablePointer<SIMD4<Float>>.allocate(capacity: max(1, groups))
        defer {
            acc.deallocate()
            lanes.deallocate()
            gAcc.deallocate()
        }
        for r in range {
            acc.update(repeating: 0, count: batch)
            lanes.update(repeating: .zero, count: batch)
            gAcc.update(repeating: .zero, count: max(1, groups))
            let row = raw + r * rawRowBytes
            for b in 0..<nb {
                let blk = row + b * Self.kBlockBytesQ6
                let w = PreparedQ6K(blk)
                let dw = Dequantize.f16(blk, 208)
                for g in 0..<groups {
                    let t0 = 4 * g
                    @inline(__always) func lanes(_ i: Int) -> SIMD8<Int32> {
                        w.lanes(UnsafeRawPointer(q8.qs + (t0 + i) * columns + b * 256), q8.bsums + ((t0 + i) * nb + b) * 16)
                    }
                    let i = KQuantDot.sums4(lanes(0), lanes(1), lanes(2), lanes(3))
                    let ad = SIMD4(q8.scales[t0 * nb + b], q8.scales[(t0 + 1) * nb + b], q8.scales[(t0 + 2) * nb + b], q8.scales[(t0 + 3) * nb + b])
                    gAcc[g] += SIMD4<Float>(i) * SIMD4(repeating: dw) * ad
                }
                for t in (4 * groups)..<batch {
                    let i = w.lanes(UnsafeRawPointer(q8.qs + t * columns + b * 256), q8.bsums + (t * nb + b) * 16)
                    let ad = q8.scales[t * nb + b]
                    if tiled {
                        acc[t] += Float(i.wrappedSum()) * dw * ad
                    } else {
                        lanes[t] = lanes[t].addingProduct(SIMD8(repeating: ad * dw), SIMD8<Float>(i))
                    }
                }
            }
            for t in 0..<(4 * groups) { out[t * outStride + r] = gAcc[t / 4][t % 4] }
            for t in (4 * groups)..<batch { out[t * outStride + r] = tiled ? acc[t] : hsum8(lanes[t]) }
        }
    }
}
