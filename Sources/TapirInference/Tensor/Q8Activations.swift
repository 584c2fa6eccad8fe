#if arch(x86_64)
import _Builtin_intrinsics.intel
#endif

/// Activation vectors quantised to int8 per block of 32 (the `Q8` scheme): for each block a
/// scale `d` with `x ≈ d * q`, and `d * Σq` for formats with an offset term.
///
/// Scales and scaled sums are also kept block-major (`scalesByBlock[b * paddedRows + r]`) so
/// the tiled kernels load the scales of several consecutive rows with one vector load; the
/// padding rows hold zeros.
final class Q8Activations: @unchecked Sendable {
    let columns: Int
    let rows: Int
    let blocks: Int
    /// `rows` rounded up to a multiple of 8.
    let paddedRows: Int
    /// Quants in element order, `columns` per row.
    let qs: UnsafeMutablePointer<Int8>
    let scales: UnsafeMutablePointer<Float>
    let sums: UnsafeMutablePointer<Float>
    let scalesByBlock: UnsafeMutablePointer<Float>
    let sumsByBlock: UnsafeMutablePointer<Float>

    init(rows: Int, columns: Int) {
        self.rows = rows
        self.columns = columns
        blocks = columns / 32
        paddedRows = (rows + 7) / 8 * 8
        qs = Self.allocate(Int8.self, max(1, paddedRows * columns))
        scales = Self.allocate(Float.self, max(1, rows * blocks))
        sums = Self.allocate(Float.self, max(1, rows * blocks))
        scalesByBlock = Self.allocate(Float.self, max(8, paddedRows * blocks))
        sumsByBlock = Self.allocate(Float.self, max(8, paddedRows * blocks))
    }

    private static func allocate<T>(_: T.Type, _ n: Int) -> UnsafeMutablePointer<T> {
        let raw = UnsafeMutableRawPointer.allocate(byteCount: n * MemoryLayout<T>.stride, alignment: 64)
        raw.initializeMemory(as: UInt8.self, repeating: 0, count: n * MemoryLayout<T>.stride)
        return raw.assumingMemoryBound(to: T.self)
    }

    deinit {
        for p in [UnsafeMutableRawPointer(qs), UnsafeMutableRawPointer(scales), UnsafeMutableRawPointer(sums),
                  UnsafeMutableRawPointer(scalesByBlock), UnsafeMutableRawPointer(sumsByBlock)] {
            p.deallocate()
        }
    }

    /// Quantises row `r` from `x` (`columns` floats, a multiple of 32).
    func quantize(row r: Int, from x: UnsafePointer<Float>) {
        for b in 0..<blocks {
            let src = UnsafeRawPointer(x + b * 32)
            let a0 = src.loadUnaligned(as: SIMD8<Float>.self)
            let a1 = src.loadUnaligned(fromByteOffset: 32, as: SIMD8<Float>.self)
            let a2 = src.loadUnaligned(fromByteOffset: 64, as: SIMD8<Float>.self)
            let a3 = src.loadUnaligned(fromByteOffset: 96, as: SIMD8<Float>.self)
            let m = maxMagnitude(a0, a1, a2, a3)
            // As llama.cpp's x86 path: multiply by 127/max, round half to even, keep the
            // scale (and the scaled sum) at half precision.
            let d = m / 127
            let id: Float = m == 0 ? 0 : 127 / m
            let s = Self.round32(a0, a1, a2, a3, times: id, into: UnsafeMutableRawPointer(qs + r * columns + b * 32))
            let sd = Float(Float16(d)), ss = Float(Float16(d * Float(s)))
            scales[r * blocks + b] = sd
            sums[r * blocks + b] = ss
            scalesByBlock[b * paddedRows + r] = sd
            sumsByBlock[b * paddedRows + r] = ss
        }
    }

    /// Stores round-half-even(aₖ × id) as 32 int8 at `dst` and returns their sum.
    @inline(__always) static func round32(
        _ a0: SIMD8<Float>, _ a1: SIMD8<Float>, _ a2: SIMD8<Float>, _ a3: SIMD8<Float>, times id: Float,
        into dst: UnsafeMutableRawPointer
    ) -> Int32 {
        let v = SIMD8<Float>(repeating: id)
        #if arch(x86_64)
        // vcvtps2dq rounds half to even (the default MXCSR mode, never changed here).
        @inline(__always) func q(_ a: SIMD8<Float>) -> SIMD4<Int64> { _mm256_cvtps_epi32(a * v) }
        let q0 = q(a0), q1 = q(a1), q2 = q(a2), q3 = q(a3)
        let sum = unsafeBitCast(_mm256_add_epi32(_mm256_add_epi32(q0, q1), _mm256_add_epi32(q2, q3)), to: SIMD8<Int32>.self)
        // packs work per 128-bit half; the final permute restores element order.
        let p = _mm256_packs_epi16(_mm256_packs_epi32(q0, q1), _mm256_packs_epi32(q2, q3))
        dst.storeBytes(of: _mm256_permutevar8x32_epi32(p, _mm256_setr_epi32(0, 4, 1, 5, 2, 6, 3, 7)), as: SIMD4<Int64>.self)
        return sum.wrappedSum()
        #else
        @inline(__always) func put(_ a: SIMD8<Float>, _ k: Int) -> SIMD8<Int32> {
            let q = SIMD8<Int32>((a * v).rounded(.toNearestOrEven))
            dst.storeBytes(of: SIMD8<Int8>(truncatingIfNeeded: q), toByteOffset: 8 * k, as: SIMD8<Int8>.self)
            return q
        }
        return (put(a0, 0) &+ put(a1, 1) &+ put(a2, 2) &+ put(a3, 3)).wrappedSum()
        #endif
    }
}

/// The largest |aₖ| over the 32 values.
@inline(__always) func maxMagnitude(_ a0: SIMD8<Float>, _ a1: SIMD8<Float>, _ a2: SIMD8<Float>, _ a3: SIMD8<Float>) -> Float {
    #if arch(x86_64)
    let m = _mm256_max_ps(_mm256_max_ps(abs(a0), abs(a1)), _mm256_max_ps(abs(a2), abs(a3)))
    let h = _mm_max_ps(m.lowHalf, m.highHalf)
    let h2 = _mm_max_ps(h, _mm_movehl_ps(h, h))
    return _mm_max_ss(h2, _mm_movehdup_ps(h2))[0]
    #else
    return pointwiseMax(pointwiseMax(abs(a0), abs(a1)), pointwiseMax(abs(a2), abs(a3))).max()
    #endif
}

@inline(__always) func abs(_ v: SIMD8<Float>) -> SIMD8<Float> {
    SIMD8<Float>(bitPattern: v.bitPattern & SIMD8<UInt32>(repeating: 0x7FFF_FFFF))
}

extension SIMD8<Float> {
    @inline(__always) init(bitPattern b: SIMD8<UInt32>) {
        self = unsafeBitCast(b, to: SIMD8<Float>.self)
    }
    @inline(__always) var bitPattern: SIMD8<UInt32> { unsafeBitCast(self, to: SIMD8<UInt32>.self) }
}
