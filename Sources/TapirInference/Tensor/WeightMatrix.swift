/// A 2-D weight tensor (`rows` × `columns`, row-major as in GGUF) prepared for
/// matrix-vector products against a batch of activation vectors.
///
/// Q4_0, Q4_1 and Q8_0 rows are repacked in groups of 8 rows: for each block column the
/// 8 rows' quants are contiguous, and so are their scales (as `Float`). They are multiplied
/// with int8-quantised activations (`Q8Activations`). `dot(row:token:q8:)` defines every
/// product; the tiled kernels in `multiply` compute the same floats for several rows and
/// tokens at once. F16 and F32 rows are multiplied in ggml's orders (`multiplyDense`), Q4_K and
/// Q6_K rows with `Q8_K` activations (`multiplyKQuant`), BF16 rows with BF16-rounded
/// activations (`multiplyBF16`); only rows of other types are dequantised and multiplied in `Float`.
public final class WeightMatrix: @unchecked Sendable {
    public let rows: Int
    public let columns: Int
    public let type: GGMLType
    let blocksPerRow: Int
    /// `rows` rounded up to a multiple of 8; the padding rows are zero.
    let paddedRows: Int
    /// d per block, at `((row / 8) * blocksPerRow + block) * 8 + row % 8`.
    let scales: UnsafeMutablePointer<Float>?
    /// Q4_1: m per block, laid out as `scales`.
    let mins: UnsafeMutablePointer<Float>?
    /// Quants, `quantBytes` per block, at `(((row / 8) * blocksPerRow + block) * 8 + row % 8) * quantBytes`.
    let quants: UnsafeMutableRawPointer?
    let quantBytes: Int
    /// Raw GGUF data for the float path (kept alive by `owner`).
    let raw: UnsafeRawPointer
    let rawRowBytes: Int
    private let owner: AnyObject

    /// Whether products go through int8-quantised activations (`Q8Activations`, or `Q8_K`
    /// blocks built in `multiplyKQuant` for Q4_K/Q6_K).
    var usesQ8: Bool { scales != nil || isKQuant }

    /// Prepares `data` (the tensor's bytes, owned by `owner`) for products.
    public init(type: GGMLType, rows: Int, columns: Int, data: UnsafeRawPointer, owner: AnyObject) {
        self.type = type
        self.rows = rows
        self.columns = columns
        self.raw = data
        self.owner = owner
        self.rawRowBytes = type.byteCount(elements: columns)
        blocksPerRow = columns / 32
        paddedRows = (rows + 7) / 8 * 8
        let nb = blocksPerRow
        let slots = paddedRows * nb
        switch type {
        case .q4_0, .q4_1, .q8_0:
            let qb = type == .q8_0 ? 32 : 16
            let head = type == .q4_1 ? 4 : 2
            let s = Self.zeroed(Float.self, slots)
            let m = type == .q4_1 ? Self.zeroed(Float.self, slots) : nil
            let q = UnsafeMutableRawPointer(Self.zeroed(UInt8.self, slots * qb))
            for r in 0..<rows {
                for b in 0..<nb {
                    let blk = data + r * rawRowBytes + b * type.blockBytes
                    let slot = ((r >> 3) * nb + b) * 8 + (r & 7)
                    s[slot] = Dequantize.f16(blk, 0)
                    m?[slot] = Dequantize.f16(blk, 2)
                    (q + slot * qb).copyMemory(from: blk + head, byteCount: qb)
                }
            }
            scales = s
            mins = m
            quants = q
            quantBytes = qb
        default:
            scales = nil
            mins = nil
            quants = nil
            quantBytes = 0
        }
    }

    private static func zeroed<T>(_: T.Type, _ n: Int) -> UnsafeMutablePointer<T> {
        let bytes = max(1, n) * MemoryLayout<T>.stride
        let p = UnsafeMutableRawPointer.allocate(byteCount: bytes, alignment: 64)
        p.initializeMemory(as: UInt8.self, repeating: 0, count: bytes)
        return p.assumingMemoryBound(to: T.self)
    }

    deinit {
        scales.map { UnsafeMutableRawPointer($0).deallocate() }
        mins.map { UnsafeMutableRawPointer($0).deallocate() }
        quants?.deallocate()
    }

    /// Dequantises row `r` into `y` (`columns` floats).
    func dequantizeRow(_ r: Int, into y: UnsafeMutablePointer<Float>) {
        Dequantize.row(type, raw + r * rawRowBytes, count: columns, into: y)
    }

    /// Index of row `r`'s scale for block 0; the next block's is 8 further on.
    @inline(__always) func slot(_ r: Int) -> Int { (r >> 3) * blocksPerRow * 8 + (r & 7) }

    /// Row `r` of a quantised matrix · activation row `t` of `q8`. This is the definition of
    /// every product; the tiled kernels reproduce it bit for bit.
    ///
    /// Q4_1 and Q8_0 follow ggml's x86 kernels (so results match llama.cpp): per block the
    /// eight exact 4-element partial sums (lane l: elements 4l..<4l+4) times d_w·d_a are
    /// accumulated by FMA into eight Float lanes, reduced as `hsum_float_8`
    /// ((l0+l4)+(l2+l6)) + ((l1+l5)+(l3+l7)); Q4_1's offset terms m_w·s_a are summed
    /// separately in block order and added last. Q4_0 follows ggml's x86 repacked kernels
    /// (`q4_0_8x8`, used for rows in multiples of 8): per block the exact integer Σ (wᵢ−8)·qᵢ,
    /// accumulated in block order by FMA with scale d_w·d_a.
    func dot(row r: Int, token t: Int, q8: Q8Activations) -> Float {
        switch type {
        case .q4_1: laneDotRow(NibbleBlock.self, r, t, q8, withMins: true)
        case .q8_0: laneDotRow(ByteBlock.self, r, t, q8, withMins: false)
        default: dotRowQ4_0(r, t, q8)
        }
    }

    @inline(__always) private func laneDotRow<F: BlockFormat>(
        _: F.Type, _ r: Int, _ t: Int, _ q8: Q8Activations, withMins: Bool
    ) -> Float {
        let s = scales! + slot(r), q = quants! + slot(r) * quantBytes
        let a = UnsafeRawPointer(q8.qs + t * columns)
        let ad = q8.scales + t * blocksPerRow, asum = q8.sums + t * blocksPerRow
        var acc = SIMD8<Float>.zero
        var offset: Float = 0
        for b in 0..<blocksPerRow {
            if withMins { offset += mins![slot(r) + b * 8] * asum[b] }
            let xy = SIMD8<Float>(F.product(F.prepare(q + b * 8 * quantBytes), a + b * 32))
            acc = acc.addingProduct(xy, SIMD8<Float>(repeating: s[b * 8] * ad[b]))
        }
        let h = hsum8(acc)
        return withMins ? h + offset : h
    }

    private func dotRowQ4_0(_ r: Int, _ t: Int, _ q8: Q8Activations) -> Float {
        let s = scales! + slot(r), q = quants! + slot(r) * quantBytes
        let a = UnsafeRawPointer(q8.qs + t * columns)
        let ad = q8.scales + t * blocksPerRow
        var acc: Float = 0
        for b in 0..<blocksPerRow {
            let i = SignedNibbleBlock.product(SignedNibbleBlock.prepare(q + b * 8 * quantBytes), a + b * 32).wrappedSum()
            acc = acc.addingProduct(Float(i), s[b * 8] * ad[b])
        }
        return acc
    }

    /// `out[b * outStride + r] = row r · x[b]` for rows `range`, for every batch item.
    /// `x` holds the activations as floats; `q8` the same activations quantised (needed
    /// when `usesQ8`); `q8k` optionally the same as `Q8_K` blocks for K-quant matrices
    /// (quantised here from `x` when nil).
    func multiply(
        rows range: Range<Int>, batch: Int, x: UnsafePointer<Float>, q8: Q8Activations?,
        q8k: Q8KActivations? = nil, out: UnsafeMutablePointer<Float>, outStride: Int
    ) {
        guard !range.isEmpty, batch > 0 else { return }
        if isKQuant {
            if let q8k {
                multiplyKQuant(rows: range, q8: q8k, out: out, outStride: outStride)
            } else {
                multiplyKQuant(rows: range, batch: batch, x: x, out: out, outStride: outStride)
            }
            return
        }
        if usesQ8, let q8 {
            switch type {
            case .q4_1: laneTiled(NibbleBlock.self, withMins: true, range, batch, q8, out, outStride)
            case .q4_0: tiled(SignedNibbleBlock.self, range, batch, q8, out, outStride)
            default: laneTiled(ByteBlock.self, withMins: false, range, batch, q8, out, outStride)
            }
            return
        }
        if type == .bf16 {
            multiplyBF16(rows: range, batch: batch, x: x, out: out, outStride: outStride)
            return
        }
        if type == .f16 || type == .f32 {
            multiplyDense(rows: range, batch: batch, x: x, out: out, outStride: outStride)
            return
        }
        let tmp = UnsafeMutablePointer<Float>.allocate(capacity: columns)
        defer { tmp.deallocate() }
        for r in range {
            dequantizeRow(r, into: tmp)
            for b in 0..<batch {
                out[b * outStride + r] = Self.dotF32(tmp, x + b * columns, columns)
            }
        }
    }

    /// F16 and F32 weights as llama.cpp multiplies them: for F16 the activations are first
    /// rounded to F16; then one token uses `ggml_vec_dot_f16`/`_f32`'s order (four 16-lane
    /// accumulators), batches tinyBLAS's GEMM order (one 16-lane accumulator) when the row
    /// length is a multiple of 16 and the row count a multiple of 4, as that GEMM requires
    /// (otherwise ggml falls back to the one-token dot for every token).
    private func multiplyDense(
        rows range: Range<Int>, batch: Int, x: UnsafePointer<Float>,
        out: UnsafeMutablePointer<Float>, outStride: Int
    ) {
        let half = type == .f16
        let xs = UnsafeMutablePointer<Float>.allocate(capacity: batch * columns)
        defer { xs.deallocate() }
        for i in 0..<(batch * columns) { xs[i] = half ? Float(Float16(x[i])) : x[i] }
        let gemm = batch > 1 && columns % 16 == 0 && rows % 4 == 0
        for r in range {
            let row = raw + r * rawRowBytes
            for b in 0..<batch {
                let xb = UnsafePointer(xs + b * columns)
                let v: Float
                if half {
                    let w = row.assumingMemoryBound(to: Float16.self)
                    v = gemm ? TransformerModel.dotF16Batched(xb, w, columns) : TransformerModel.dotF16Single(xb, w, columns)
                } else {
                    let w = row.assumingMemoryBound(to: Float.self)
                    v = gemm ? Self.dotF32Batched(xb, w, columns) : Self.dotF32Single(xb, w, columns)
                }
                out[b * outStride + r] = v
            }
        }
    }

    /// ggml_vec_dot_f32 (AVX-512): four 16-lane accumulators over runs of 64, reduced as
    /// (a0 + a2) + (a1 + a3) then across lanes; the tail added one product at a time.
    @inline(__always) static func dotF32Single(_ x: UnsafePointer<Float>, _ w: UnsafePointer<Float>, _ n: Int) -> Float {
        var a0 = SIMD16<Float>.zero, a1 = a0, a2 = a0, a3 = a0
        let np = n & ~63
        var i = 0
        while i < np {
            a0 = a0.addingProduct(TransformerModel.load(x + i), TransformerModel.load(w + i))
            a1 = a1.addingProduct(TransformerModel.load(x + i + 16), TransformerModel.load(w + i + 16))
            a2 = a2.addingProduct(TransformerModel.load(x + i + 32), TransformerModel.load(w + i + 32))
            a3 = a3.addingProduct(TransformerModel.load(x + i + 48), TransformerModel.load(w + i + 48))
            i += 64
        }
        var sum = ReferenceNumerics.reduce16((a0 + a2) + (a1 + a3))
        while i < n {
            sum += x[i] * w[i]
            i += 1
        }
        return sum
    }

    /// llamafile's tinyBLAS F32 GEMM (AVX-512): one 16-lane accumulator, then reduced.
    @inline(__always) static func dotF32Batched(_ x: UnsafePointer<Float>, _ w: UnsafePointer<Float>, _ n: Int) -> Float {
        var a = SIMD16<Float>.zero
        var i = 0
        while i < n {
            a = a.addingProduct(TransformerModel.load(x + i), TransformerModel.load(w + i))
            i += 16
        }
        return ReferenceNumerics.reduce16(a)
    }

    @inline(__always) static func dotF32(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ n: Int) -> Float {
        var acc = SIMD8<Float>.zero
        var i = 0
        let ra = UnsafeRawPointer(a), rb = UnsafeRawPointer(b)
        while i + 8 <= n {
            acc += ra.loadUnaligned(fromByteOffset: i * 4, as: SIMD8<Float>.self)
                * rb.loadUnaligned(fromByteOffset: i * 4, as: SIMD8<Float>.self)
            i += 8
        }
        var s = acc.sum()
        while i < n {
            s += a[i] * b[i]
            i += 1
        }
        return s
    }
}

/// ggml's `hsum_float_8`: ((l0+l4)+(l2+l6)) + ((l1+l5)+(l3+l7)).
@inline(__always) func hsum8(_ v: SIMD8<Float>) -> Float {
    let r = v.lowHalf + v.highHalf
    return (r[0] + r[2]) + (r[1] + r[3])
}
