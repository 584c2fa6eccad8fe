import Foundation

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
        let d = c.embeddingLength, hd = c.headDimension, kvd = c.kvDimension, qdim = c.qDimension
        let buf = Buffers(c, tokens: n)
        // Token t belongs to item itemOf[t] at position posOf[t].
        var itemOf = [Int](repeating: 0, count: n), posOf = [Int](repeating: 0, count: n)
        var t0 = 0
        for (i, item) in items.enumerated() {
            for j in 0..<item.tokens.count {
                itemOf[t0 + j] = i
                posOf[t0 + j] = item.cache.count + j
            }
            t0 += item.tokens.count
        }
        var tokens: [Int32] = []
        tokens.reserveCapacity(n)
        for item in items { tokens.append(contentsOf: item.tokens) }
        for t in 0..<n { embedding.dequantizeRow(Int(tokens[t]), into: buf.x + t * d) }
        let caches = items.map(\.cache)

        for (li, layer) in layers.enumerated() {
            // Attention block.
            rmsNorm(buf.x, layer.attnNorm, into: buf.xb, rows: n, width: d)
            quantize(buf.xb, into: buf.qd, rows: n)
            multiply([(layer.q, buf.q), (layer.k, buf.k), (layer.v, buf.v)], x: buf.xb, q8: buf.qd, batch: n)
            if let b = layer.qBias { addBias(b, to: buf.q, rows: n) }
            if let b = layer.kBias { addBias(b, to: buf.k, rows: n) }
            if let b = layer.vBias { addBias(b, to: buf.v, rows: n) }
            for t in 0..<n {
                rope(buf.q + t * qdim, heads: c.headCount, position: posOf[t])
                rope(buf.k + t * kvd, heads: c.kvHeadCount, position: posOf[t])
                let cache = caches[itemOf[t]]
                // The cache keeps half precision, as llama.cpp's default F16 cache does.
                let kd = cache.keys[li] + posOf[t] * kvd, vd = cache.values[li] + posOf[t] * kvd
                for i in 0..<kvd {
                    kd[i] = Float(Float16(buf.k[t * kvd + i]))
                    vd[i] = Float(Float16(buf.v[t * kvd + i]))
                }
            }
            attention(layer: li, buf: buf, caches: caches, itemOf: itemOf, posOf: posOf, tokens: n)
            quantize(buf.att, into: buf.qq, rows: n)
            multiply([(layer.o, buf.tmp)], x: buf.att, q8: buf.qq, batch: n)
            add(buf.tmp, to: buf.x, count: n * d)

            // Feed-forward block.
            rmsNorm(buf.x, layer.ffnNorm, into: buf.xb, rows: n, width: d)
            quantize(buf.xb, into: buf.qd, rows: n)
            multiply([(layer.gate, buf.gate), (layer.up, buf.up)], x: buf.xb, q8: buf.qd, batch: n)
            swiglu(buf.gate, buf.up, count: n * c.feedForwardLength)
            quantize(buf.gate, into: buf.qf, rows: n)
            multiply([(layer.down, buf.tmp)], x: buf.gate, q8: buf.qf, batch: n)
            add(buf.tmp, to: buf.x, count: n * d)
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
        quantize(buf.xb, into: buf.qd, rows: m)
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
                let ss = WeightMatrix.dotF32(xr, xr, width)
                let scale = 1 / (ss / Float(width) + config.rmsEpsilon).squareRoot()
                for i in 0..<width { yr[i] = xr[i] * scale * wp[i] }
            }
        }
    }

    func quantize(_ x: UnsafePointer<Float>, into q: Q8Activations, rows: Int) {
        if rows >= 8 {
            pool.parallelFor(rows) { range in for r in range { q.quantize(row: r, from: x + r * q.columns) } }
        } else {
            for r in 0..<rows { q.quantize(row: r, from: x + r * q.columns) }
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
        pool.parallelFor(total) { range in
            for (j, (w, out)) in jobs.enumerated() {
                let lo = max(range.lowerBound - starts[j], 0) * 8
                let hi = min((range.upperBound - starts[j]) * 8, w.rows)
                if lo < hi { w.multiply(rows: lo..<hi, batch: batch, x: x, q8: q8, out: out, outStride: w.rows) }
            }
        }
    }

    func addBias(_ b: [Float], to y: UnsafeMutablePointer<Float>, rows: Int) {
        for r in 0..<rows { for i in 0..<b.count { y[r * b.count + i] += b[i] } }
    }

    func add(_ a: UnsafePointer<Float>, to y: UnsafeMutablePointer<Float>, count: Int) {
        for i in 0..<count { y[i] += a[i] }
    }

    func swiglu(_ g: UnsafeMutablePointer<Float>, _ u: UnsafePointer<Float>, count: Int) {
        for i in 0..<count {
            let x = g[i]
            g[i] = x / (1 + Foundation.exp(-x)) * u[i]
        }
    }

    func rope(_ v: UnsafeMutablePointer<Float>, heads: Int, position: Int) {
        let hd = config.headDimension, half = config.ropeDimensionCount / 2
        let neox = config.architecture == .qwen2
        let p = Float(position)
        for i in 0..<half {
            let theta = p * invFrequencies[i]
            let cs = Foundation.cos(theta), sn = Foundation.sin(theta)
            for h in 0..<heads {
                let base = v + h * hd
                let a = neox ? i : 2 * i, b = neox ? i + half : 2 * i + 1
                let x0 = base[a], x1 = base[b]
                base[a] = x0 * cs - x1 * sn
                base[b] = x0 * sn + x1 * cs
            }
        }
    }

    private func attention(layer li: Int, buf: Buffers, caches: [KVCache], itemOf: [Int], posOf: [Int], tokens n: Int) {
        let c = config
        let hd = c.headDimension, kvd = c.kvDimension, qdim = c.qDimension
        let group = c.headCount / c.kvHeadCount
        let scale = 1 / Float(hd).squareRoot()
        let maxLen = (posOf.max() ?? 0) + 1
        let units = n * c.headCount
        pool.parallelFor(units) { range in
            let scores = UnsafeMutablePointer<Float>.allocate(capacity: maxLen)
            defer { scores.deallocate() }
            for u in range {
                let t = u / c.headCount, h = u % c.headCount
                let cache = caches[itemOf[t]]
                let len = posOf[t] + 1
                let q = buf.q + t * qdim + h * hd
                let keys = cache.keys[li] + (h / group) * hd
                let values = cache.values[li] + (h / group) * hd
                var mx = -Float.infinity
                for p in 0..<len {
                    let s = WeightMatrix.dotF32(q, keys + p * kvd, hd) * scale
                    scores[p] = s
                    mx = max(mx, s)
                }
                var sum: Float = 0
                for p in 0..<len {
                    let e = Foundation.exp(scores[p] - mx)
                    scores[p] = e
                    sum += e
                }
                let out = buf.att + t * qdim + h * hd
                out.update(repeating: 0, count: hd)
                let inv = 1 / sum
                for p in 0..<len {
                    let w = scores[p] * inv
                    let vp = values + p * kvd
                    for i in 0..<hd { out[i] += w * vp[i] }
                }
            }
        }
    }
}
