/// Activation vectors quantised to int8 per block of 32 (the `Q8` scheme): for each block a
/// scale `d` with `x ≈ d * q`, and `d * Σq` for formats with an offset term.
final class Q8Activations: @unchecked Sendable {
    let columns: Int
    let rows: Int
    let qs: UnsafeMutablePointer<Int8>
    let scales: UnsafeMutablePointer<Float>
    let sums: UnsafeMutablePointer<Float>
    /// The same quants widened to Int16 and, per block, reordered as the 4-bit kernels read
    /// them: even then odd elements of the first 16, even then odd elements of the last 16.
    let qs16: UnsafeMutablePointer<Int16>

    init(rows: Int, columns: Int) {
        self.rows = rows
        self.columns = columns
        qs = .allocate(capacity: max(1, rows * columns))
        scales = .allocate(capacity: max(1, rows * columns / 32))
        sums = .allocate(capacity: max(1, rows * columns / 32))
        qs16 = .allocate(capacity: max(1, rows * columns))
    }

    deinit {
        qs.deallocate()
        scales.deallocate()
        sums.deallocate()
        qs16.deallocate()
    }

    /// Quantises row `r` from `x` (`columns` floats, a multiple of 32).
    func quantize(row r: Int, from x: UnsafePointer<Float>) {
        let blocks = columns / 32
        for b in 0..<blocks {
            let src = UnsafeRawPointer(x + b * 32)
            let a0 = src.loadUnaligned(as: SIMD8<Float>.self)
            let a1 = src.loadUnaligned(fromByteOffset: 32, as: SIMD8<Float>.self)
            let a2 = src.loadUnaligned(fromByteOffset: 64, as: SIMD8<Float>.self)
            let a3 = src.loadUnaligned(fromByteOffset: 96, as: SIMD8<Float>.self)
            let m = pointwiseMax(pointwiseMax(abs(a0), abs(a1)), pointwiseMax(abs(a2), abs(a3))).max()
            // As llama.cpp's x86 path: multiply by 127/max, round half to even, keep the
            // scale (and the scaled sum) at half precision.
            let d = m / 127
            let id: Float = m == 0 ? 0 : 127 / m
            let dst = qs + r * columns + b * 32
            @inline(__always) func put(_ a: SIMD8<Float>, _ k: Int) -> SIMD8<Int32> {
                let q = SIMD8<Int32>((a * id).rounded(.toNearestOrEven))
                UnsafeMutableRawPointer(dst + 8 * k).storeBytes(of: SIMD8<Int8>(truncatingIfNeeded: q), as: SIMD8<Int8>.self)
                return q
            }
            let s = (put(a0, 0) &+ put(a1, 1) &+ put(a2, 2) &+ put(a3, 3)).wrappedSum()
            let w = qs16 + r * columns + b * 32
            for j in 0..<8 {
                w[j] = Int16(dst[2 * j])
                w[8 + j] = Int16(dst[2 * j + 1])
                w[16 + j] = Int16(dst[16 + 2 * j])
                w[24 + j] = Int16(dst[17 + 2 * j])
            }
            scales[r * blocks + b] = Float(Float16(d))
            sums[r * blocks + b] = Float(Float16(d * Float(s)))
        }
    }
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
