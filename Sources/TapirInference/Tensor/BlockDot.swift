#if arch(x86_64)
import _Builtin_intrinsics.intel
#endif

/// Exact integer products of one 32-element weight block with one block of int8 activations.
///
/// Each product comes back as 8 `Int32` lanes: lane l is the exact Σ wᵢ·aᵢ over elements
/// 4l..<4l+4 (as ggml's `mul_sum_us8_pairs_float`), so their wrapped sum is the block's. Weights are first turned into a `Prepared` value once per block, so a
/// tile reuses it for several activation rows. On x86-64 the products use AVX2 byte
/// multiply-adds (`vpmaddubsw`, `vpmaddwd`); elsewhere portable SIMD.
protocol BlockFormat {
    associatedtype Prepared
    /// Bytes of quants per block in the repacked layout.
    static var quantBytes: Int { get }
    static func prepare(_ w: UnsafeRawPointer) -> Prepared
    static func product(_ w: Prepared, _ a: UnsafeRawPointer) -> SIMD8<Int32>
}

/// Q4_0 / Q4_1 quants: 16 bytes, element j < 16 in the low nibble of byte j, element j ≥ 16
/// in the high nibble of byte j − 16 (GGUF order). The nibbles are used unsigned (0…15).
enum NibbleBlock: BlockFormat {
    static var quantBytes: Int { 16 }
    #if arch(x86_64)
    @inline(__always) static func prepare(_ w: UnsafeRawPointer) -> SIMD4<Int64> {
        let v = w.loadUnaligned(as: SIMD2<Int64>.self)
        let m = _mm_set1_epi8(0x0F)
        let lo = _mm_and_si128(v, m), hi = _mm_and_si128(_mm_srli_epi16(v, 4), m)
        return _mm256_set_m128i(hi, lo)
    }
    @inline(__always) static func product(_ w: SIMD4<Int64>, _ a: UnsafeRawPointer) -> SIMD8<Int32> {
        // Two products per 16-bit lane: at most 2 × 15 × 127, no saturation.
        let p = _mm256_maddubs_epi16(w, a.loadUnaligned(as: SIMD4<Int64>.self))
        return unsafeBitCast(_mm256_madd_epi16(p, _mm256_set1_epi16(1)), to: SIMD8<Int32>.self)
    }
    #else
    @inline(__always) static func prepare(_ w: UnsafeRawPointer) -> SIMD32<Int16> {
        let v = SIMD16<Int16>(truncatingIfNeeded: w.loadUnaligned(as: SIMD16<UInt8>.self))
        return SIMD32<Int16>(lowHalf: v & 0x0F, highHalf: v &>> 4)
    }
    @inline(__always) static func product(_ w: SIMD32<Int16>, _ a: UnsafeRawPointer) -> SIMD8<Int32> {
        widenedProduct(w, a)
    }
    #endif
}

/// Q4_0 quants: the `NibbleBlock` layout, each nibble minus 8 as a signed value (−8…7), as
/// ggml's Q4_0 kernels use them.
enum SignedNibbleBlock: BlockFormat {
    static var quantBytes: Int { 16 }
    #if arch(x86_64)
    @inline(__always) static func prepare(_ w: UnsafeRawPointer) -> SIMD4<Int64> {
        _mm256_sub_epi8(NibbleBlock.prepare(w), _mm256_set1_epi8(8))
    }
    @inline(__always) static func product(_ w: SIMD4<Int64>, _ a: UnsafeRawPointer) -> SIMD8<Int32> {
        ByteBlock.product(w, a)
    }
    #else
    @inline(__always) static func prepare(_ w: UnsafeRawPointer) -> SIMD32<Int16> {
        NibbleBlock.prepare(w) &- 8
    }
    @inline(__always) static func product(_ w: SIMD32<Int16>, _ a: UnsafeRawPointer) -> SIMD8<Int32> {
        widenedProduct(w, a)
    }
    #endif
}

/// Q8_0 quants: 32 signed bytes in element order.
enum ByteBlock: BlockFormat {
    static var quantBytes: Int { 32 }
    #if arch(x86_64)
    @inline(__always) static func prepare(_ w: UnsafeRawPointer) -> SIMD4<Int64> {
        w.loadUnaligned(as: SIMD4<Int64>.self)
    }
    @inline(__always) static func product(_ w: SIMD4<Int64>, _ a: UnsafeRawPointer) -> SIMD8<Int32> {
        // |w| as unsigned bytes times a with w's sign: at most 2 × 128 × 127 per 16-bit lane.
        let p = _mm256_maddubs_epi16(_mm256_sign_epi8(w, w), _mm256_sign_epi8(a.loadUnaligned(as: SIMD4<Int64>.self), w))
        return unsafeBitCast(_mm256_madd_epi16(p, _mm256_set1_epi16(1)), to: SIMD8<Int32>.self)
    }
    #else
    @inline(__always) static func prepare(_ w: UnsafeRawPointer) -> SIMD32<Int16> {
        SIMD32<Int16>(truncatingIfNeeded: w.loadUnaligned(as: SIMD32<Int8>.self))
    }
    @inline(__always) static func product(_ w: SIMD32<Int16>, _ a: UnsafeRawPointer) -> SIMD8<Int32> {
        widenedProduct(w, a)
    }
    #endif
}

#if !arch(x86_64)
@inline(__always) private func widenedProduct(_ w: SIMD32<Int16>, _ a: UnsafeRawPointer) -> SIMD8<Int32> {
    let x = SIMD32<Int32>(truncatingIfNeeded: w) &* SIMD32<Int32>(truncatingIfNeeded: a.loadUnaligned(as: SIMD32<Int8>.self))
    var r = SIMD8<Int32>()
    for l in 0..<8 { r[l] = x[4 * l] &+ x[4 * l + 1] &+ x[4 * l + 2] &+ x[4 * l + 3] }
    return r
}
#endif

/// Lane p of the result is the wrapped sum of the 8 lanes of `v[p]`.
@inline(__always) func transposedSums(
    _ v0: SIMD8<Int32>, _ v1: SIMD8<Int32>, _ v2: SIMD8<Int32>, _ v3: SIMD8<Int32>,
    _ v4: SIMD8<Int32>, _ v5: SIMD8<Int32>, _ v6: SIMD8<Int32>, _ v7: SIMD8<Int32>
) -> SIMD8<Int32> {
    #if arch(x86_64)
    @inline(__always) func m(_ v: SIMD8<Int32>) -> SIMD4<Int64> { unsafeBitCast(v, to: SIMD4<Int64>.self) }
    let h01 = _mm256_hadd_epi32(m(v0), m(v1)), h23 = _mm256_hadd_epi32(m(v2), m(v3))
    let h45 = _mm256_hadd_epi32(m(v4), m(v5)), h67 = _mm256_hadd_epi32(m(v6), m(v7))
    let a = _mm256_hadd_epi32(h01, h23), b = _mm256_hadd_epi32(h45, h67)
    // a: 128-bit halves hold lanes 0–3 and 4–7 partial sums of v0…v3; b likewise for v4…v7.
    let a32 = unsafeBitCast(a, to: SIMD8<Int32>.self), b32 = unsafeBitCast(b, to: SIMD8<Int32>.self)
    return SIMD8(lowHalf: a32.lowHalf, highHalf: b32.lowHalf) &+ SIMD8(lowHalf: a32.highHalf, highHalf: b32.highHalf)
    #else
    return SIMD8(v0.wrappedSum(), v1.wrappedSum(), v2.wrappedSum(), v3.wrappedSum(),
                 v4.wrappedSum(), v5.wrappedSum(), v6.wrappedSum(), v7.wrappedSum())
    #endif
}
