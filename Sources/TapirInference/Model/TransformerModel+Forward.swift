import Foundation
#if arch(x86_64)
import _Builtin_intrinsics.intel
#endif

extension TransformerModel {
    /// Buffers for one forward call.
    private final class Buffers {
        let x, xb, q, k, v, att, tmp, gate, up: UnsafeMutablePointer<Float>
        let qd: Q8Activations, qq: Q8Activations, qf: Q8Activations
        init(_ c: ModelConfig, tokens n: Int) {
            let d = c.embeddingLength, f = c.feedForwardLength
            x = .allocate(capacity: n * d)
            xb = .allocate(capacity: n * d)
            q = .allocate(capacity: n * c.qDimension)
            k = .allocate(capacity: n * c.kvDimension)
            v = .allocate(capacity: n * c.kvDimension)
            att = .allocate(capacity: n * c.qDimension)
            tmp = .allocate(capacity: n * d)
            gate = .allocate(capacity: n * f)
            up = .allocate(capacity: n * f)
            qd = Q8Activations(rows: n, columns: d)
            qq = Q8Activations(rows: n, columns: c.qDimension)
            qf = Q8Activations(rows: n, columns: f)
        }
        deinit {
            for p in [x, xb, q, k, v, att, tmp, gate, up] { p.deallocate() }
        }
    }

    func run(_ items: [Item], total n: Int) -> [[Float]] {
        let c = config
        let d = c.embeddingLength, kvd = c.kvDimension, qdim = c.qDimension
        let buf = Buffers(c, tokens: n)
        // Token t belongs to item itemOf[t] at position posOf[t].
        var itemOf = [Int](repeating: 0, count: n), posOf = [Int](repeating: 0, count: n)
        // A sequence stepping one token attends in llama.cpp's single-token summation order.
        var single = [Bool](repeating: false, count: n)
        var t0 = 0
        for (i, item) in items.enumerated() {
            for j in 0..<item.tokens.count {
                itemOf[t0 + j] = i
                posOf[t0 + j] = item.cache.count + j
                single[t0 + j] = item.tokens.count == 1
            }
            t0 += item.tokens.count
        }
        var tokens: [Int32] = []
        tokens.reserveCapacity(n)
        for item in items { tokens.append(contentsOf: item.tokens) }
        for t in 0..<n { embedding.dequantizeRow(Int(tokens[t]), into: buf.x + t * d) }
        let caches = items.map(\.cache)
        // The 32-element int8 blocks are read only by Q4_0/Q4_1/Q8_0 matrices: a model of
        // K-quant and float matrices skips building them.
        let q8Used = ([output] + layers.flatMap { [$0.q, $0.k, $0.v, $0.o, $0.gate, $0.up, $0.down] })
            .contains { $0.usesQ8 && !$0.isKQuant }

        // RoPE angles depend on the position only: their cosines and sines once per token.
        let half = c.ropeDimensionCount / 2
        let ropeTable = UnsafeMutablePointer<Float>.allocate(capacity: max(1, 2 * n * half))
        defer { ropeTable.deallocate() }
        for t in 0..<n { ropeAngles(position: posOf[t], into: ropeTable + 2 * t * half) }

        // Before layer 0: the attention norm of the embeddings, quantised.
        perToken(n) { t in normalise(buf, row: t, layers[0].attnNorm, quantiseInto: q8Used ? buf.qd : nil) }
        for (li, layer) in layers.enumerated() {
            // Attention block.
            tap?("attn_norm", li, buf.xb, n * d)
            multiply([(layer.q, buf.q), (layer.k, buf.k), (layer.v, buf.v)], x: buf.xb, q8: buf.qd, batch: n)
            perToken(n) { t in
                if let b = layer.qBias { addBias(b, to: buf.q + t * qdim) }
                if let b = layer.kBias { addBias(b, to: buf.k + t * kvd) }
                if let b = layer.vBias { addBias(b, to: buf.v + t * kvd) }
                let angles = ropeTable + 2 * t * half
                rope(buf.q + t * qdim, heads: c.headCount, angles: angles)
                rope(buf.k + t * kvd, heads: c.kvHeadCount, angles: angles)
                let cache = caches[itemOf[t]]
                let kd = cache.keys[li] + posOf[t] * kvd, vd = cache.values[li] + posOf[t] * kvd
                Self.storeHalf(buf.k + t * kvd, into: kd, count: kvd)
                Self.storeHalf(buf.v + t * kvd, into: vd, count: kvd)
            }
            if let tap {
                tap("Qcur", li, buf.q, n * qdim)
                tap("Kcur", li, buf.k, n * kvd)
                tap("Vcur", li, buf.v, n * kvd)
            }
            attention(layer: li, buf: buf, caches: caches, itemOf: itemOf, posOf: posOf, single: single, tokens: n)
            tap?("kqv_out", li, buf.att, n * qdim)
            if q8Used { perToken(n) { t in buf.qq.quantize(row: t, from: buf.att + t * qdim) } }
            multiply([(layer.o, buf.tmp)], x: buf.att, q8: buf.qq, batch: n)
            perToken(n) { t in
                add(buf.tmp + t * d, to: buf.x + t * d, count: d)
                normalise(buf, row: t, layer.ffnNorm, quantiseInto: q8Used ? buf.qd : nil)
            }
            tap?("attn_out", li, buf.tmp, n * d)
            tap?("ffn_inp", li, buf.x, n * d)

            // Feed-forward block.
            tap?("ffn_norm", li, buf.xb, n * d)
            multiply([(layer.gate, buf.gate), (layer.up, buf.up)], x: buf.xb, q8: buf.qd, batch: n)
            if let tap {
                tap("ffn_gate", li, buf.gate, n * c.feedForwardLength)
                tap("ffn_up", li, buf.up, n * c.feedForwardLength)
            }
            let f = c.feedForwardLength
            perToken(n) { t in
                swiglu(buf.gate + t * f, buf.up + t * f, count: f)
                if q8Used { buf.qf.quantize(row: t, from: buf.gate + t * f) }
            }
            tap?("ffn_swiglu", li, buf.gate, n * f)
            multiply([(layer.down, buf.tmp)], x: buf.gate, q8: buf.qf, batch: n)
            let next = li + 1 < layers.count ? layers[li + 1] : nil
            perToken(n) { t in
                add(buf.tmp + t * d, to: buf.x + t * d, count: d)
                if let next { normalise(buf, row: t, next.attnNorm, quantiseInto: q8Used ? buf.qd : nil) }
            }
            tap?("l_out", li, buf.x, n * d)
        }
        for item in items { item.cache.count += item.tokens.count }

        // Rows that need logits.
        var rows: [Int] = []
        t0 = 0
        for item in items {
            if item.allLogits { rows.append(contentsOf: t0..<(t0 + item.tokens.count)) } else { rows.append(t0 + item.tokens.count - 1) }
            t0 += item.tokens.count
        }
        let m = rows.count
        for (i, r) in rows.enumerated() { (buf.tmp + i * d).update(from: buf.x + r * d, count: d) }
        rmsNorm(buf.tmp, outputNorm, into: buf.xb, rows: m, width: d)
        tap?("result_norm", -1, buf.xb, m * d)
        if q8Used { quantize(buf.xb, into: buf.qd, rows: m) }
        let logits = UnsafeMutablePointer<Float>.allocate(capacity: m * vocabularySize)
        defer { logits.deallocate() }
        multiply([(output, logits)], x: buf.xb, q8: buf.qd, batch: m)
        var result: [[Float]] = []
        var r0 = 0
        for item in items {
            let k = item.allLogits ? item.tokens.count : 1
            result.append(Array(UnsafeBufferPointer(start: logits + r0 * vocabularySize, count: k * vocabularySize)))
            r0 += k
        }
        return result
    }

    // MARK: - Pieces

    func rmsNorm(_ x: UnsafePointer<Float>, _ w: [Float], into y: UnsafeMutablePointer<Float>, rows: Int, width: Int) {
        w.withUnsafeBufferPointer { wp in
            for r in 0..<rows {
                let xr = x + r * width, yr = y + r * width
                // As ggml: squares rounded to Float, summed in Double.
                var ss: Double = 0
                for i in 0..<width { ss += Double(xr[i] * xr[i]) }
                let mean = Float(ss / Double(width))
                let scale = 1 / (mean + config.rmsEpsilon).squareRoot()
                for i in 0..<width { yr[i] = xr[i] * scale * wp[i] }
            }
        }
    }

    func quantize(_ x: UnsafePointer<Float>, into q: Q8Activations, rows: Int) {
        perToken(rows) { r in q.quantize(row: r, from: x + r * q.columns) }
    }

    /// Runs `body(t)` for every token t in 0..<n, spread over the worker pool (inline for one).
    @inline(__always) func perToken(_ n: Int, _ body: (Int) -> Void) {
        if n == 1 {
            body(0)
            return
        }
        pool.parallelFor(n) { range in for t in range { body(t) } }
    }

    /// Row `t` of `buf.x` normalised with `w` into row `t` of `buf.xb`, then quantised into `q`
    /// (if any).
    private func normalise(_ buf: Buffers, row t: Int, _ w: [Float], quantiseInto q: Q8Activations?) {
        let d = config.embeddingLength
        rmsNorm(buf.x + t * d, w, into: buf.xb + t * d, rows: 1, width: d)
        q?.quantize(row: t, from: buf.xb + t * d)
    }

    /// Rounds `count` floats to half precision.
    @inline(__always) static func storeHalf(_ x: UnsafePointer<Float>, into y: UnsafeMutablePointer<Float16>, count: Int) {
        var i = 0
        while i + 16 <= count {
            UnsafeMutableRawPointer(y + i).storeBytes(of: SIMD16<Float16>(load(x + i)), as: SIMD16<Float16>.self)
            i += 16
        }
        while i < count {
            y[i] = Float16(x[i])
            i += 1
        }
    }

    /// Runs several matrix products that share their input in one parallel dispatch. The rows
    /// are split across the workers in groups of 8 (the kernels' row grouping).
    func multiply(_ jobs: [(WeightMatrix, UnsafeMutablePointer<Float>)], x: UnsafePointer<Float>, q8: Q8Activations, batch: Int) {
        var starts: [Int] = []
        var total = 0
        for (w, _) in jobs {
            starts.append(total)
            total += (w.rows + 7) / 8
        }
        // K-quant matrices take Q8_K activations: quantised once here for every job and worker.
        let q8k: Q8KActivations? = jobs.contains(where: { $0.0.isKQuant }) ? {
            let k = Q8KActivations(rows: batch, columns: jobs[0].0.columns)
            perToken(batch) { t in k.quantize(row: t, from: x + t * k.columns) }
            return k
        }() : nil
        pool.parallelFor(total) { range in
            for (j, (w, out)) in jobs.enumerated() {
                let lo = max(range.lowerBound - starts[j], 0) * 8
                let hi = min((range.upperBound - starts[j]) * 8, w.rows)
                if lo < hi { w.multiply(rows: lo..<hi, batch: batch, x: x, q8: q8, q8k: q8k, out: out, outStride: w.rows) }
            }
        }
    }

    func addBias(_ b: [Float], to y: UnsafeMutablePointer<Float>) {
        for i in 0..<b.count { y[i] += b[i] }
    }

    func add(_ a: UnsafePointer<Float>, to y: UnsafeMutablePointer<Float>, count: Int) {
        for i in 0..<count { y[i] += a[i] }
    }

    func swiglu(_ g: UnsafeMutablePointer<Float>, _ u: UnsafePointer<Float>, count: Int) {
        var i = 0
        while i + 16 <= count {
            let v = ReferenceNumerics.silu(Self.load(g + i)) * Self.load(u + i)
            UnsafeMutableRawPointer(g + i).storeBytes(of: v, as: SIMD16<Float>.self)
            i += 16
        }
        while i < count {
            g[i] = ReferenceNumerics.silu(g[i]) * u[i]
            i += 1
        }
    }

    /// The cosine and sine of RoPE pair i's angle at `position`, at `out[2i]` and `out[2i + 1]`.
    func ropeAngles(position: Int, into out: UnsafeMutablePointer<Float>) {
        // As ggml's rope cache: the angle of pair i is position × base^(-2i/dims), the power
        // built by repeated Float multiplication.
        var theta = Float(position)
        for i in 0..<(config.ropeDimensionCount / 2) {
            let angle = ropeFrequencyScale * (theta / ropeFrequencyFactors[i])
            out[2 * i] = Foundation.cos(angle)
            out[2 * i + 1] = Foundation.sin(angle)
            theta *= ropeThetaScale
        }
    }

    /// Rotates every head of `v` by the angles from `ropeAngles`.
    func rope(_ v: UnsafeMutablePointer<Float>, heads: Int, angles: UnsafePointer<Float>) {
        let hd = config.headDimension, half = config.ropeDimensionCount / 2
        let neox = config.architecture == .qwen2
        for h in 0..<heads {
            let base = v + h * hd
            for i in 0..<half {
                let cs = angles[2 * i], sn = angles[2 * i + 1]
                let a = neox ? i : 2 * i, b = neox ? i + half : 2 * i + 1
                let x0 = base[a], x1 = base[b]
                // The reference's compiler contracts these into FMAs on x0.
                base[a] = (-(x1 * sn)).addingProduct(x0, cs)
                base[b] = (x1 * cs).addingProduct(x0, sn)
            }
        }
    }

    /// Causal attention of every token over its sequence's cache, in llama.cpp's numerics
    /// (flash attention off, F16 cache): queries rounded to half precision, scores summed in
    /// the order of ggml's F16 dot (`single`) or of its batched F16 GEMM, softmax with ggml's
    /// exp and a Double sum, probabilities rounded to half precision before weighting values.
    private func attention(
        layer li: Int, buf: Buffers, caches: [KVCache], itemOf: [Int], posOf: [Int], single: [Bool], tokens n: Int
    ) {
        let c = config
        let hd = c.headDimension, kvd = c.kvDimension, qdim = c.qDimension
        let group = c.headCount / c.kvHeadCount
        let scale = 1 / Float(hd).squareRoot()
        let maxLen = (posOf.max() ?? 0) + 1
        let units = n * c.headCount
        let vectorised = hd % 16 == 0
        pool.parallelFor(units) { range in
            let scores = UnsafeMutablePointer<Float>.allocate(capacity: maxLen + 16)
            let q16 = UnsafeMutablePointer<Float>.allocate(capacity: hd)
            // Per output element, 64 (single-token order) or 16 (batched order) partial sums.
            let lanes = UnsafeMutablePointer<Float>.allocate(capacity: 64 * hd)
            defer {
                scores.deallocate()
                q16.deallocate()
                lanes.deallocate()
            }
            for u in range {
                let t = u / c.headCount, h = u % c.headCount
                let cache = caches[itemOf[t]]
                let len = posOf[t] + 1
                let q = buf.q + t * qdim + h * hd
                for i in 0..<hd { q16[i] = Float(Float16(q[i])) }
                let keys = cache.keys[li] + (h / group) * hd
                let values = cache.values[li] + (h / group) * hd
                // llama.cpp's batched GEMM needs the dot length to be a multiple of 16.
                let decodeOrder = single[t] || !vectorised
                var mx = -Float.infinity
                for p in 0..<len {
                    let k = keys + p * kvd
                    let dot = decodeOrder ? Self.dotF16Single(q16, k, hd) : Self.dotF16Batched(q16, k, hd)
                    let s = dot * scale
                    scores[p] = s
                    mx = max(mx, s)
                }
                // Softmax: exp per element, each run of 16 summed as a vector reduction, the
                // runs accumulated in Double.
                var sum: Double = 0
                var p0 = 0
                while p0 + 16 <= len {
                    let chunk = ReferenceNumerics.exp(Self.load(scores + p0) - SIMD16(repeating: mx))
                    UnsafeMutableRawPointer(scores + p0).storeBytes(of: chunk, as: SIMD16<Float>.self)
                    sum += Double(ReferenceNumerics.reduce16(chunk))
                    p0 += 16
                }
                while p0 < len {
                    var chunk = SIMD16<Float>.zero
                    for l in 0..<min(16, len - p0) {
                        let e = ReferenceNumerics.exp(scores[p0 + l] - mx)
                        scores[p0 + l] = e
                        chunk[l] = e
                    }
                    sum += Double(ReferenceNumerics.reduce16(chunk))
                    p0 += 16
                }
                let inv = Float(1 / sum)
                let slots = single[t] ? 64 : 16
                lanes.update(repeating: 0, count: slots * hd)
                for p in 0..<len {
                    let w = Float(Float16(scores[p] * inv))
                    let acc = lanes + (p % slots) * hd
                    let vp = values + p * kvd
                    // Half × half is exact in Float: one rounding per addition, as the FMA.
                    if vectorised {
                        let wv = SIMD16<Float>(repeating: w)
                        var i = 0
                        while i < hd {
                            UnsafeMutableRawPointer(acc + i).storeBytes(of: Self.load(acc + i) + wv * Self.load(vp + i), as: SIMD16<Float>.self)
                            i += 16
                        }
                    } else {
                        for i in 0..<hd { acc[i] += w * Float(vp[i]) }
                    }
                }
                Self.reduceLanes(lanes, slots: slots, width: hd, into: buf.att + t * qdim + h * hd)
            }
        }
    }

    /// out[i] = the reduction of the partial sums `lanes[s * width + i]` over the slots, in
    /// ggml's order: for 64 slots, lane l of (a0 + a2) + (a1 + a3) with a_j = slots
    /// 16j..<16j+16; then `_mm512_reduce_add_ps` over the 16 lanes. Vectorised across `i`.
    static func reduceLanes(_ lanes: UnsafePointer<Float>, slots: Int, width: Int, into out: UnsafeMutablePointer<Float>) {
        withUnsafeTemporaryAllocation(of: SIMD16<Float>.self, capacity: 16) { v in
            var i = 0
            while i < width {
                // The last, partial group of outputs reads zero-padded copies.
                let n = min(16, width - i)
                @inline(__always) func row(_ s: Int) -> SIMD16<Float> {
                    if n == 16 { return UnsafeRawPointer(lanes + s * width + i).loadUnaligned(as: SIMD16<Float>.self) }
                    var r = SIMD16<Float>.zero
                    for k in 0..<n { r[k] = lanes[s * width + i + k] }
                    return r
                }
                for l in 0..<16 {
                    v[l] = slots == 64 ? (row(l) + row(32 + l)) + (row(16 + l) + row(48 + l)) : row(l)
                }
                for l in 0..<8 { v[l] = v[l] + v[l + 8] }
                for l in 0..<4 { v[l] = v[l] + v[l + 4] }
                let r = (v[0] + v[2]) + (v[1] + v[3])
                for k in 0..<n { out[i + k] = r[k] }
                i += 16
            }
        }
    }

    /// ggml_vec_dot_f16 (AVX-512): four 16-lane accumulators over runs of 64, then
    /// (a0 + a2) + (a1 + a3) reduced; the tail past a multiple of 64 added in Double.
    @inline(__always) static func dotF16Single(_ q: UnsafePointer<Float>, _ k: UnsafePointer<Float16>, _ n: Int) -> Float {
        var a0 = SIMD16<Float>.zero, a1 = SIMD16<Float>.zero, a2 = SIMD16<Float>.zero, a3 = SIMD16<Float>.zero
        let np = n & ~63
        var i = 0
        while i < np {
            a0 = a0.addingProduct(load(q + i), load(k + i))
            a1 = a1.addingProduct(load(q + i + 16), load(k + i + 16))
            a2 = a2.addingProduct(load(q + i + 32), load(k + i + 32))
            a3 = a3.addingProduct(load(q + i + 48), load(k + i + 48))
            i += 64
        }
        var sum = Double(ReferenceNumerics.reduce16((a0 + a2) + (a1 + a3)))
        while i < n {
            sum += Double(q[i] * Float(k[i]))
            i += 1
        }
        return Float(sum)
    }

    /// llamafile's tinyBLAS F16 GEMM (AVX-512): one 16-lane accumulator, then reduced.
    @inline(__always) static func dotF16Batched(_ q: UnsafePointer<Float>, _ k: UnsafePointer<Float16>, _ n: Int) -> Float {
        var a = SIMD16<Float>.zero
        var i = 0
        while i < n {
            a = a.addingProduct(load(q + i), load(k + i))
            i += 16
        }
        return ReferenceNumerics.reduce16(a)
    }

    @inline(__always) static func load(_ p: UnsafePointer<Float>) -> SIMD16<Float> {
        UnsafeRawPointer(p).loadUnaligned(as: SIMD16<Float>.self)
    }

    /// 16 halves widened to Float (exact).
    @inline(__always) static func load(_ p: UnsafePointer<Float16>) -> SIMD16<Float> {
        #if arch(x86_64)
        // F16C's vcvtph2ps: the generic SIMD conversion is not inlined.
        let raw = UnsafeRawPointer(p)
        let lo = _mm256_cvtph_ps(raw.loadUnaligned(as: SIMD2<Int64>.self))
        let hi = _mm256_cvtph_ps(raw.loadUnaligned(fromByteOffset: 16, as: SIMD2<Int64>.self))
        return SIMD16(lowHalf: lo, highHalf: hi)
        #else
        SIMD16<Float>(UnsafeRawPointer(p).loadUnaligned(as: SIMD16<Float16>.self))
        #endif
    }
}
