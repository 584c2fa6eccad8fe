/// BF16 weights multiplied as llama.cpp's CPU backend does on AVX512-BF16 machines: the
/// activations are rounded to BF16 (`bf16Bits`), and every 32-element step is one
/// `vdpbf16ps`: per 16-lane Float accumulator, lane j adds the exact product of elements
/// 2j+1, then that of elements 2j (each add rounded to nearest). No per-row F32 buffer.
///
/// Not modelled: the instruction's flushing of subnormal inputs and outputs to zero, which
/// needs values below 1.2e-38.
extension WeightMatrix {
    /// Which of llama.cpp's BF16 summation orders a product follows.
    enum BF16Order: Sendable {
        /// `ggml_vec_dot_bf16` (one token): two accumulators over alternate 32-element runs,
        /// each reduced across lanes, summed in Double with the tail's products.
        case vecDot
        /// llamafile tinyBLAS GEMM: one accumulator. Used for batches when the row length is
        /// a multiple of 32 and the matrix's row count a multiple of 4 (else tinyBLAS declines
        /// and ggml falls back to `vecDot` per token).
        case gemm
    }

    /// `x` rounded to BF16 as ggml does (nearest, ties to even; NaN kept, made quiet).
    @inline(__always) static func bf16Bits(_ x: Float) -> UInt16 {
        let u = x.bitPattern
        if u & 0x7fff_ffff > 0x7f80_0000 { return UInt16(truncatingIfNeeded: (u >> 16) | 64) }
        return UInt16(truncatingIfNeeded: (u &+ (0x7fff &+ ((u >> 16) & 1))) >> 16)
    }

    /// The order llama.cpp uses for a product against `batch` tokens.
    func bf16Order(batch: Int) -> BF16Order {
        batch > 1 && columns % 32 == 0 && rows % 4 == 0 ? .gemm : .vecDot
    }

    /// `out[b * outStride + r] = row r · x[b]` for BF16 rows, in llama.cpp's order.
    func multiplyBF16(
        rows range: Range<Int>, batch: Int, x: UnsafePointer<Float>,
        out: UnsafeMutablePointer<Float>, outStride: Int
    ) {
        let n = batch * columns
        let xs = UnsafeMutablePointer<UInt16>.allocate(capacity: n)
        defer { xs.deallocate() }
        for i in 0..<n { xs[i] = Self.bf16Bits(x[i]) }
        let order = bf16Order(batch: batch)
        for r in range {
            let w = UnsafeRawPointer(raw + r * rawRowBytes)
            for b in 0..<batch {
                out[b * outStride + r] = Self.dotBF16(w, UnsafeRawPointer(xs + b * columns), columns, order)
            }
        }
    }

    /// Row `r` · activation row `token` of `xBits` (BF16 bit patterns, `columns` per token).
    func bf16Dot(row r: Int, token: Int, xBits: UnsafePointer<UInt16>, order: BF16Order) -> Float {
        Self.dotBF16(UnsafeRawPointer(raw + r * rawRowBytes), UnsafeRawPointer(xBits + token * columns), columns, order)
    }

    /// The dot of `n` BF16 values at `w` and `x` in `order`.
    @inline(__always) static func dotBF16(_ w: UnsafeRawPointer, _ x: UnsafeRawPointer, _ n: Int, _ order: BF16Order) -> Float {
        switch order {
        case .gemm:
            var a = SIMD16<Float>.zero
            var i = 0
            while i < n {
                a = dpbf16(a, w + 2 * i, x + 2 * i)
                i += 32
            }
            return ReferenceNumerics.reduce16(a)
        case .vecDot:
            var c1 = SIMD16<Float>.zero, c2 = c1
            var i = 0
            while i + 64 <= n {
                c1 = dpbf16(c1, w + 2 * i, x + 2 * i)
                c2 = dpbf16(c2, w + 2 * i + 64, x + 2 * i + 64)
                i += 64
            }
            var sum = Double(ReferenceNumerics.reduce16(c1)) + Double(ReferenceNumerics.reduce16(c2))
            while i < n {
                let a = Float(bitPattern: UInt32(w.loadUnaligned(fromByteOffset: 2 * i, as: UInt16.self)) << 16)
                let b = Float(bitPattern: UInt32(x.loadUnaligned(fromByteOffset: 2 * i, as: UInt16.self)) << 16)
                sum += Double(a * b)
                i += 1
            }
            return Float(sum)
        }
    }

    /// One `vdpbf16ps` step over 32 BF16 values at `a` and `b`: lane j of `acc` plus the
    /// product of elements 2j+1, then plus that of elements 2j. BF16 products are exact in
    /// Float, so each fused multiply-add rounds only the sum, as the instruction does.
    @inline(__always) static func dpbf16(_ acc: SIMD16<Float>, _ a: UnsafeRawPointer, _ b: UnsafeRawPointer) -> SIMD16<Float> {
        let pa = a.loadUnaligned(as: SIMD16<UInt32>.self), pb = b.loadUnaligned(as: SIMD16<UInt32>.self)
        let high = SIMD16<UInt32>(repeating: 0xffff_0000)
        let oddA = unsafeBitCast(pa & high, to: SIMD16<Float>.self)
        let oddB = unsafeBitCast(pb & high, to: SIMD16<Float>.self)
        let evenA = unsafeBitCast(pa &<< 16, to: SIMD16<Float>.self)
        let evenB = unsafeBitCast(pb &<< 16, to: SIMD16<Float>.self)
        return acc.addingProduct(oddA, oddB).addingProduct(evenA, evenB)
    }
}
