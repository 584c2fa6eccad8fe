#if arch(x86_64)
import _Builtin_intrinsics.intel
#endif

/// Exact integer products of one K-quant super-block (256 weights) with one `Q8_K`
/// activation block, in the lane layouts ggml's x86 kernels produce, so the float steps that
/// follow (see `WeightMatrix+KQuant.swift`) can repeat ggml's summation order.
enum KQuantDot {
    /// Q4_K's 8 six-bit sub-block scales and 8 mins, unpacked from the block's 12 bytes at `p`
    /// (as ggml's `kmask` shuffle).
    @inline(__always) static func q4KScalesMins(_ p: UnsafeRawPointer) -> (scales: SIMD8<UInt8>, mins: SIMD8<UInt8>) {
        let u0 = p.loadUnaligned(as: UInt32.self), u1 = p.loadUnaligned(fromByteOffset: 4, as: UInt32.self)
        let u2 = p.loadUnaligned(fromByteOffset: 8, as: UInt32.self)
        let k1: UInt32 = 0x3F3F_3F3F, k2: UInt32 = 0x0F0F_0F0F, k3: UInt32 = 0x0303_0303
        let s0 = u0 & k1
        let s1 = (u2 & k2) | (((u0 >> 6) & k3) << 4)
        let m0 = u1 & k1
        let m1 = ((u2 >> 4) & k2) | (((u1 >> 6) & k3) << 4)
        return (unsafeBitCast(SIMD2(s0, s1), to: SIMD8<UInt8>.self), unsafeBitCast(SIMD2(m0, m1), to: SIMD8<UInt8>.self))
    }

    /// Q4_K block at `blk` (144 bytes) · activation block `a` (256 int8) with sub-block
    /// scales `sc`, in ggml_vec_dot_q4_K_q8_K's 8 Int32 lanes: lane l holds, over the four runs
    /// of 64 elements, sc·Σ q·a of elements 4l..<4l+4 of both 32-element halves. Their sum
    /// is I = Σⱼ scⱼ·dotⱼ.
    @inline(__always) static func q4K(_ blk: UnsafeRawPointer, _ a: UnsafeRawPointer, _ sc: SIMD8<UInt8>) -> SIMD8<Int32> {
        let qs = blk + 16
        var lanes = q4KRun(qs, a, Int16(sc[0]), Int16(sc[1]))
        lanes &+= q4KRun(qs + 32, a + 64, Int16(sc[2]), Int16(sc[3]))
        lanes &+= q4KRun(qs + 64, a + 128, Int16(sc[4]), Int16(sc[5]))
        lanes &+= q4KRun(qs + 96, a + 192, Int16(sc[6]), Int16(sc[7]))
        return lanes
    }

    /// As `q4K`, per run of 64 elements: lane p holds sc₂ₚ·dot₂ₚ + sc₂ₚ₊₁·dot₂ₚ₊₁.
    @inline(__always) static func q4KPairs(_ blk: UnsafeRawPointer, _ a: UnsafeRawPointer, _ sc: SIMD8<UInt8>) -> SIMD4<Int32> {
        let qs = blk + 16
        var pairs = SIMD4<Int32>.zero
        for p in 0..<4 {
            pairs[p] = q4KRun(qs + 32 * p, a + 64 * p, Int16(sc[2 * p]), Int16(sc[2 * p + 1])).wrappedSum()
        }
        return pairs
    }

    /// 32 bytes of Q4_K quants (low nibbles: elements 0..<32 of the run, high: 32..<64) times
    /// 64 activations; lane l: sl·Σ(4l..<4l+4 low) + sh·Σ(4l..<4l+4 high).
    @inline(__always) static func q4KRun(_ q: UnsafeRawPointer, _ a: UnsafeRawPointer, _ sl: Int16, _ sh: Int16) -> SIMD8<Int32> {
        #if arch(x86_64)
        let bits = q.loadUnaligned(as: SIMD4<Int64>.self)
        let m4 = _mm256_set1_epi8(0x0F)
        let lo = _mm256_and_si256(bits, m4), hi = _mm256_and_si256(_mm256_srli_epi16(bits, 4), m4)
        let pl = _mm256_madd_epi16(_mm256_set1_epi16(sl), _mm256_maddubs_epi16(lo, a.loadUnaligned(as: SIMD4<Int64>.self)))
        let ph = _mm256_madd_epi16(_mm256_set1_epi16(sh), _mm256_maddubs_epi16(hi, a.loadUnaligned(fromByteOffset: 32, as: SIMD4<Int64>.self)))
        return unsafeBitCast(_mm256_add_epi32(pl, ph), to: SIMD8<Int32>.self)
        #else
        let bytes = SIMD32<Int32>(truncatingIfNeeded: q.loadUnaligned(as: SIMD32<UInt8>.self))
        let al = SIMD32<Int32>(truncatingIfNeeded: a.loadUnaligned(as: SIMD32<Int8>.self))
        let ah = SIMD32<Int32>(truncatingIfNeeded: a.loadUnaligned(fromByteOffset: 32, as: SIMD32<Int8>.self))
        let pl = (bytes & 0x0F) &* al, ph = (bytes &>> 4) &* ah
        var r = SIMD8<Int32>()
        for l in 0..<8 {
            let sumL = pl[4 * l] &+ pl[4 * l + 1] &+ pl[4 * l + 2] &+ pl[4 * l + 3]
            let sumH = ph[4 * l] &+ ph[4 * l + 1] &+ ph[4 * l + 2] &+ ph[4 * l + 3]
            r[l] = Int32(sl) &* sumL &+ Int32(sh) &* sumH
        }
        return r
        #endif
    }

    /// Q4_K offset terms: lane p holds m₂ₚ·S₂ₚ + m₂ₚ₊₁·S₂ₚ₊₁, Sⱼ the sum of the activation
    /// quants of sub-block j (from the 16 `bsums`).
    @inline(__always) static func q4KMins(_ mins: SIMD8<UInt8>, _ bsums: UnsafePointer<Int16>) -> SIMD4<Int32> {
        #if arch(x86_64)
        // Adjacent 16-sums paired into the 8 sub-block sums, then m₂ₚ·S₂ₚ + m₂ₚ₊₁·S₂ₚ₊₁.
        let b = UnsafeRawPointer(bsums)
        let s = _mm_hadd_epi16(b.loadUnaligned(as: SIMD2<Int64>.self), b.loadUnaligned(fromByteOffset: 16, as: SIMD2<Int64>.self))
        let m = unsafeBitCast(SIMD8<Int16>(truncatingIfNeeded: mins), to: SIMD2<Int64>.self)
        return unsafeBitCast(_mm_madd_epi16(m, s), to: SIMD4<Int32>.self)
        #else
        var r = SIMD4<Int32>.zero
        for p in 0..<4 {
            let s0 = Int32(bsums[4 * p]) + Int32(bsums[4 * p + 1])
            let s1 = Int32(bsums[4 * p + 2]) + Int32(bsums[4 * p + 3])
            r[p] = Int32(mins[2 * p]) * s0 + Int32(mins[2 * p + 1]) * s1
        }
        return r
        #endif
    }

    #if arch(x86_64)
    /// The lane sums of four 8-lane Int32 vectors: [Σv0, Σv1, Σv2, Σv3] (exact).
    @inline(__always) static func sums4(_ v0: SIMD4<Int64>, _ v1: SIMD4<Int64>, _ v2: SIMD4<Int64>, _ v3: SIMD4<Int64>) -> SIMD4<Int32> {
        let h = _mm256_hadd_epi32(_mm256_hadd_epi32(v0, v1), _mm256_hadd_epi32(v2, v3))
        let v = unsafeBitCast(h, to: SIMD8<Int32>.self)
        return v.lowHalf &+ v.highHalf
    }
    #endif

    /// The lane sums of four 8-lane Int32 vectors (exact, wrapping).
    @inline(__always) static func sums4(_ v0: SIMD8<Int32>, _ v1: SIMD8<Int32>, _ v2: SIMD8<Int32>, _ v3: SIMD8<Int32>) -> SIMD4<Int32> {
        #if arch(x86_64)
        @inline(__always) func m(_ v: SIMD8<Int32>) -> SIMD4<Int64> { unsafeBitCast(v, to: SIMD4<Int64>.self) }
        return sums4(m(v0), m(v1), m(v2), m(v3))
        #else
        return SIMD4(v0.wrappedSum(), v1.wrappedSum(), v2.wrappedSum(), v3.wrappedSum())
        #endif
    }

    /// Rows and columns of a 4×4 matrix swapped.
    @inline(__always) static func transpose(
        _ v: (SIMD4<Int32>, SIMD4<Int32>, SIMD4<Int32>, SIMD4<Int32>)
    ) -> (SIMD4<Int32>, SIMD4<Int32>, SIMD4<Int32>, SIMD4<Int32>) {
        (SIMD4(v.0[0], v.1[0], v.2[0], v.3[0]), SIMD4(v.0[1], v.1[1], v.2[1], v.3[1]),
         SIMD4(v.0[2], v.1[2], v.2[2], v.3[2]), SIMD4(v.0[3], v.1[3], v.2[3], v.3[3]))
    }

    /// Q6_K block at `blk` (210 bytes) · activation block `a`, in ggml_vec_dot_q6_K_q8_K's 8
    /// Int32 lanes: lane l holds Σ over the eight 32-element runs of sc·Σ q·a over elements
    /// 4l..<4l+4 (q the unsigned 6-bit value), minus 32·(sc₂ₗ·B₂ₗ + sc₂ₗ₊₁·B₂ₗ₊₁) with Bᵢ
    /// the i-th of the 16 `bsums`.
    @inline(__always) static func q6K(_ blk: UnsafeRawPointer, _ a: UnsafeRawPointer, _ bsums: UnsafePointer<Int16>) -> SIMD8<Int32> {
        #if arch(x86_64)
        let ql = blk, qh = blk + 128
        let sc = (blk + 192).loadUnaligned(as: SIMD16<Int8>.self)
        let m3 = _mm256_set1_epi8(3), m15 = _mm256_set1_epi8(15)
        var sumi = _mm256_setzero_si256()
        for j in 0..<2 {
            let b1 = (ql + 64 * j).loadUnaligned(as: SIMD4<Int64>.self)
            let b2 = (ql + 64 * j + 32).loadUnaligned(as: SIMD4<Int64>.self)
            let bh = (qh + 32 * j).loadUnaligned(as: SIMD4<Int64>.self)
            let h0 = _mm256_slli_epi16(_mm256_and_si256(bh, m3), 4)
            let h1 = _mm256_slli_epi16(_mm256_and_si256(bh, _mm256_set1_epi8(12)), 2)
            let h2 = _mm256_and_si256(bh, _mm256_set1_epi8(48))
            let h3 = _mm256_srli_epi16(_mm256_and_si256(bh, _mm256_set1_epi8(-64)), 2)
            let q0 = _mm256_or_si256(_mm256_and_si256(b1, m15), h0)
            let q1 = _mm256_or_si256(_mm256_and_si256(b2, m15), h1)
            let q2 = _mm256_or_si256(_mm256_and_si256(_mm256_srli_epi16(b1, 4), m15), h2)
            let q3 = _mm256_or_si256(_mm256_and_si256(_mm256_srli_epi16(b2, 4), m15), h3)
            @inline(__always) func run(_ q: SIMD4<Int64>, _ k: Int) -> SIMD4<Int64> {
                let c = 4 * j + k
                let x = (a + 128 * j + 32 * k).loadUnaligned(as: SIMD4<Int64>.self)
                let s = SIMD16<Int16>(lowHalf: SIMD8(repeating: Int16(sc[2 * c])), highHalf: SIMD8(repeating: Int16(sc[2 * c + 1])))
                return _mm256_madd_epi16(unsafeBitCast(s, to: SIMD4<Int64>.self), _mm256_maddubs_epi16(q, x))
            }
            sumi = _mm256_add_epi32(sumi, _mm256_add_epi32(run(q0, 0), run(q1, 1)))
            sumi = _mm256_add_epi32(sumi, _mm256_add_epi32(run(q2, 2), run(q3, 3)))
        }
        let sums = UnsafeRawPointer(bsums).loadUnaligned(as: SIMD4<Int64>.self)
        let sub = _mm256_slli_epi32(_mm256_madd_epi16(sums, unsafeBitCast(SIMD16<Int16>(truncatingIfNeeded: sc), to: SIMD4<Int64>.self)), 5)
        return unsafeBitCast(_mm256_sub_epi32(sumi, sub), to: SIMD8<Int32>.self)
        #else
        return q6KPortable(blk, a, bsums)
        #endif
    }

    /// The lanes of `q6K` computed one element at a time (portable; also the tests' oracle).
    static func q6KPortable(_ blk: UnsafeRawPointer, _ a: UnsafeRawPointer, _ bsums: UnsafePointer<Int16>) -> SIMD8<Int32> {
        let ql = blk, qh = blk + 128
        var r = SIMD8<Int32>.zero
        for e in 0..<256 {
            let j = e / 128, k = (e % 128) / 32, l = e % 32
            let byte = ql.load(fromByteOffset: 64 * j + 32 * (k & 1) + l, as: UInt8.self)
            let nib = k < 2 ? byte & 0x0F : byte >> 4
            let high = (qh.load(fromByteOffset: 32 * j + l, as: UInt8.self) >> (2 * k)) & 3
            let q = Int32(nib | high << 4)
            let x = Int32(a.load(fromByteOffset: e, as: Int8.self))
            let sc = Int32((blk + 192).load(fromByteOffset: e / 16, as: Int8.self))
            r[(e % 32) / 4] &+= sc &* q &* x
        }
        for l in 0..<8 {
            let s0 = Int32((blk + 192).load(fromByteOffset: 2 * l, as: Int8.self))
            let s1 = Int32((blk + 192).load(fromByteOffset: 2 * l + 1, as: Int8.self))
            r[l] &-= 32 &* (s0 &* Int32(bsums[2 * l]) &+ s1 &* Int32(bsums[2 * l + 1]))
        }
        return r
    }
}

/// A Q4_K super-block unpacked once (nibbles, sub-block scales) so several activation rows
/// reuse it; `lanes` and `pairs` give exactly `KQuantDot.q4K` and `q4KPairs`.
struct PreparedQ4K {
    #if arch(x86_64)
    var lo: (SIMD4<Int64>, SIMD4<Int64>, SIMD4<Int64>, SIMD4<Int64>)
    var hi: (SIMD4<Int64>, SIMD4<Int64>, SIMD4<Int64>, SIMD4<Int64>)
    var sl: (SIMD4<Int64>, SIMD4<Int64>, SIMD4<Int64>, SIMD4<Int64>)
    var sh: (SIMD4<Int64>, SIMD4<Int64>, SIMD4<Int64>, SIMD4<Int64>)
    #else
    let blk: UnsafeRawPointer
    #endif
    let sc: SIMD8<UInt8>

    @inline(__always) init(_ blk: UnsafeRawPointer, scales sc: SIMD8<UInt8>) {
        self.sc = sc
        #if arch(x86_64)
        let m4 = _mm256_set1_epi8(0x0F)
        @inline(__always) func bits(_ p: Int) -> SIMD4<Int64> { (blk + 16 + 32 * p).loadUnaligned(as: SIMD4<Int64>.self) }
        @inline(__always) func low(_ p: Int) -> SIMD4<Int64> { _mm256_and_si256(bits(p), m4) }
        @inline(__always) func high(_ p: Int) -> SIMD4<Int64> { _mm256_and_si256(_mm256_srli_epi16(bits(p), 4), m4) }
        @inline(__always) func s(_ j: Int) -> SIMD4<Int64> { _mm256_set1_epi16(Int16(sc[j])) }
        lo = (low(0), low(1), low(2), low(3))
        hi = (high(0), high(1), high(2), high(3))
        sl = (s(0), s(2), s(4), s(6))
        sh = (s(1), s(3), s(5), s(7))
        #else
        self.blk = blk
        #endif
    }

    #if arch(x86_64)
    @inline(__always) private func run(_ l: SIMD4<Int64>, _ h: SIMD4<Int64>, _ a: UnsafeRawPointer, _ s0: SIMD4<Int64>, _ s1: SIMD4<Int64>) -> SIMD4<Int64> {
        let pl = _mm256_madd_epi16(s0, _mm256_maddubs_epi16(l, a.loadUnaligned(as: SIMD4<Int64>.self)))
        let ph = _mm256_madd_epi16(s1, _mm256_maddubs_epi16(h, a.loadUnaligned(fromByteOffset: 32, as: SIMD4<Int64>.self)))
        return _mm256_add_epi32(pl, ph)
    }
    #endif

    @inline(__always) func lanes(_ a: UnsafeRawPointer) -> SIMD8<Int32> {
        #if arch(x86_64)
        let r = _mm256_add_epi32(_mm256_add_epi32(_mm256_add_epi32(run(lo.0, hi.0, a, sl.0, sh.0), run(lo.1, hi.1, a + 64, sl.1, sh.1)),
                                                  run(lo.2, hi.2, a + 128, sl.2, sh.2)), run(lo.3, hi.3, a + 192, sl.3, sh.3))
        return unsafeBitCast(r, to: SIMD8<Int32>.self)
        #else
        return KQuantDot.q4K(blk, a, sc)
        #endif
    }

    @inline(__always) func pairs(_ a: UnsafeRawPointer) -> SIMD4<Int32> {
        #if arch(x86_64)
        return KQuantDot.sums4(run(lo.0, hi.0, a, sl.0, sh.0), run(lo.1, hi.1, a + 64, sl.1, sh.1),
                               run(lo.2, hi.2, a + 128, sl.2, sh.2), run(lo.3, hi.3, a + 192, sl.3, sh.3))
        #else
        return KQuantDot.q4KPairs(blk, a, sc)
        #endif
    }

    /// `pairs` of four activation blocks, transposed: lane t of result k is `pairs(aₜ)[k]`.
    @inline(__always) func pairs4(
        _ a0: UnsafeRawPointer, _ a1: UnsafeRawPointer, _ a2: UnsafeRawPointer, _ a3: UnsafeRawPointer
    ) -> (SIMD4<Int32>, SIMD4<Int32>, SIMD4<Int32>, SIMD4<Int32>) {
        #if arch(x86_64)
        @inline(__always) func k(_ l: SIMD4<Int64>, _ h: SIMD4<Int64>, _ o: Int, _ s0: SIMD4<Int64>, _ s1: SIMD4<Int64>) -> SIMD4<Int32> {
            KQuantDot.sums4(run(l, h, a0 + o, s0, s1), run(l, h, a1 + o, s0, s1), run(l, h, a2 + o, s0, s1), run(l, h, a3 + o, s0, s1))
        }
        return (k(lo.0, hi.0, 0, sl.0, sh.0), k(lo.1, hi.1, 64, sl.1, sh.1), k(lo.2, hi.2, 128, sl.2, sh.2), k(lo.3, hi.3, 192, sl.3, sh.3))
        #else
        return KQuantDot.transpose((pairs(a0), pairs(a1), pairs(a2), pairs(a3)))
        #endif
    }
}

/// A Q6_K super-block unpacked once (6-bit quants, scales) so several activation rows reuse
/// it; `lanes` gives exactly `KQuantDot.q6K`.
struct PreparedQ6K {
    #if arch(x86_64)
    /// The 6-bit quants of each 32-element run, and its scales (16-bit, 8 lanes per sub-block).
    var q: (SIMD4<Int64>, SIMD4<Int64>, SIMD4<Int64>, SIMD4<Int64>, SIMD4<Int64>, SIMD4<Int64>, SIMD4<Int64>, SIMD4<Int64>)
    var s: (SIMD4<Int64>, SIMD4<Int64>, SIMD4<Int64>, SIMD4<Int64>, SIMD4<Int64>, SIMD4<Int64>, SIMD4<Int64>, SIMD4<Int64>)
    var scales16: SIMD4<Int64>
    #else
    let blk: UnsafeRawPointer
    #endif

    @inline(__always) init(_ blk: UnsafeRawPointer) {
        #if arch(x86_64)
        let sc = (blk + 192).loadUnaligned(as: SIMD16<Int8>.self)
        let m3 = _mm256_set1_epi8(3), m15 = _mm256_set1_epi8(15)
        @inline(__always) func runs(_ j: Int) -> (SIMD4<Int64>, SIMD4<Int64>, SIMD4<Int64>, SIMD4<Int64>) {
            let b1 = (blk + 64 * j).loadUnaligned(as: SIMD4<Int64>.self)
            let b2 = (blk + 64 * j + 32).loadUnaligned(as: SIMD4<Int64>.self)
            let bh = (blk + 128 + 32 * j).loadUnaligned(as: SIMD4<Int64>.self)
            let h0 = _mm256_slli_epi16(_mm256_and_si256(bh, m3), 4)
            let h1 = _mm256_slli_epi16(_mm256_and_si256(bh, _mm256_set1_epi8(12)), 2)
            let h2 = _mm256_and_si256(bh, _mm256_set1_epi8(48))
            let h3 = _mm256_srli_epi16(_mm256_and_si256(bh, _mm256_set1_epi8(-64)), 2)
            return (_mm256_or_si256(_mm256_and_si256(b1, m15), h0), _mm256_or_si256(_mm256_and_si256(b2, m15), h1),
                    _mm256_or_si256(_mm256_and_si256(_mm256_srli_epi16(b1, 4), m15), h2),
                    _mm256_or_si256(_mm256_and_si256(_mm256_srli_epi16(b2, 4), m15), h3))
        }
        @inline(__always) func scale(_ c: Int) -> SIMD4<Int64> {
            unsafeBitCast(SIMD16<Int16>(lowHalf: SIMD8(repeating: Int16(sc[2 * c])), highHalf: SIMD8(repeating: Int16(sc[2 * c + 1]))),
                          to: SIMD4<Int64>.self)
        }
        let r0 = runs(0), r1 = runs(1)
        q = (r0.0, r0.1, r0.2, r0.3, r1.0, r1.1, r1.2, r1.3)
        s = (scale(0), scale(1), scale(2), scale(3), scale(4), scale(5), scale(6), scale(7))
        scales16 = unsafeBitCast(SIMD16<Int16>(truncatingIfNeeded: sc), to: SIMD4<Int64>.self)
        #else
        self.blk = blk
        #endif
    }

    @inline(__always) func lanes(_ a: UnsafeRawPointer, _ bsums: UnsafePointer<Int16>) -> SIMD8<Int32> {
        #if arch(x86_64)
        @inline(__always) func run(_ q: SIMD4<Int64>, _ s: SIMD4<Int64>, _ c: Int) -> SIMD4<Int64> {
            _mm256_madd_epi16(s, _mm256_maddubs_epi16(q, (a + 32 * c).loadUnaligned(as: SIMD4<Int64>.self)))
        }
        var sumi = _mm256_add_epi32(run(q.0, s.0, 0), run(q.1, s.1, 1))
        sumi = _mm256_add_epi32(sumi, _mm256_add_epi32(run(q.2, s.2, 2), run(q.3, s.3, 3)))
        sumi = _mm256_add_epi32(sumi, _mm256_add_epi32(run(q.4, s.4, 4), run(q.5, s.5, 5)))
        sumi = _mm256_add_epi32(sumi, _mm256_add_epi32(run(q.6, s.6, 6), run(q.7, s.7, 7)))
        let sums = UnsafeRawPointer(bsums).loadUnaligned(as: SIMD4<Int64>.self)
        let sub = _mm256_slli_epi32(_mm256_madd_epi16(sums, scales16), 5)
        return unsafeBitCast(_mm256_sub_epi32(sumi, sub), to: SIMD8<Int32>.self)
        #else
        return KQuantDot.q6K(blk, a, bsums)
        #endif
    }
}
