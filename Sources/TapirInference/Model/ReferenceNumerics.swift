/// Float operations done exactly as llama.cpp's x86 CPU backend (AVX-512 build) does them, so
/// that tapir's activations are bit-identical to the reference before each int8 quantisation:
/// a one-ulp difference there can flip a rounded quant and grow, layer by layer, into a
/// different top-1 token (see README, "Native inference agreement").
enum ReferenceNumerics {
    /// ggml's vectorised `expf` (`ggml_v_expf`, AVX-512 variant): a degree-5 polynomial on the
    /// reduced argument, scaled by a power of two; |n| > 192 gives 0 or +∞.
    @inline(__always) static func exp(_ x: Float) -> Float {
        let r: Float = 0x1.8p23
        let z = fma(x, 0x1.715476p+0, r)
        let n = z - r
        let b = fma(-n, 0x1.7f7d1cp-20, fma(-n, 0x1.62e4p-1, x))
        if !(n.magnitude <= 192) {
            return n <= 0 ? 0 : .infinity
        }
        let u = b * b
        let j = fma(fma(fma(0x1.0e4020p-7, b, 0x1.573e2ep-5), u, fma(0x1.555e66p-3, b, 0x1.fffdb6p-2)),
                    u, fma(0x1.ffffecp-1, b, 1))
        return scaled(j, Int(n))
    }

    /// `exp` on 16 lanes at once, the same operations lane by lane (so the same results);
    /// lanes whose power of two falls outside the normal range are done by `exp` one by one.
    @inline(__always) static func exp(_ x: SIMD16<Float>) -> SIMD16<Float> {
        typealias V = SIMD16<Float>
        let r = V(repeating: 0x1.8p23)
        let z = r.addingProduct(x, V(repeating: 0x1.715476p+0))
        let n = z - r
        let b = x.addingProduct(-n, V(repeating: 0x1.62e4p-1)).addingProduct(-n, V(repeating: 0x1.7f7d1cp-20))
        guard all((n .>= -126) .& (n .<= 127)) else {
            var out = V()
            for l in 0..<16 { out[l] = exp(x[l]) }
            return out
        }
        let u = b * b
        let p = V(repeating: 0x1.573e2ep-5).addingProduct(V(repeating: 0x1.0e4020p-7), b)
        let q = V(repeating: 0x1.fffdb6p-2).addingProduct(V(repeating: 0x1.555e66p-3), b)
        let s = V(repeating: 1).addingProduct(V(repeating: 0x1.ffffecp-1), b)
        let j = s.addingProduct(q.addingProduct(p, u), u)
        // z lies in [2²³, 2²⁴), where one unit is one ulp: n is the bit distance from r.
        let zBits = unsafeBitCast(z, to: SIMD16<UInt32>.self), rBits = unsafeBitCast(r, to: SIMD16<UInt32>.self)
        let bits = (zBits &- rBits &+ 127) &<< 23
        return j * unsafeBitCast(bits, to: V.self)
    }

    /// `silu` on 16 lanes at once (the same results).
    @inline(__always) static func silu(_ x: SIMD16<Float>) -> SIMD16<Float> {
        x / (1 + exp(0 - x))
    }

    /// `j × 2ⁿ` rounded once (as `vscalefps`).
    @inline(__always) static func scaled(_ j: Float, _ n: Int) -> Float {
        if n >= -126 && n <= 127 { return j * Float(sign: .plus, exponent: n, significand: 1) }
        if n < -126 { return (j * Float(sign: .plus, exponent: n + 64, significand: 1)) * 0x1p-64 }
        return (j * 0x1p127) * Float(sign: .plus, exponent: n - 127, significand: 1)
    }

    /// ggml's `ggml_v_silu`: x / (1 + exp(-x)).
    @inline(__always) static func silu(_ x: Float) -> Float {
        x / (1 + exp(0 - x))
    }

    /// `_mm512_reduce_add_ps`: halves added pairwise, 16 → 8 → 4 → 2 → 1.
    @inline(__always) static func reduce16(_ v: SIMD16<Float>) -> Float {
        let a = v.lowHalf + v.highHalf
        let b = a.lowHalf + a.highHalf
        let c = b.lowHalf + b.highHalf
        return c[0] + c[1]
    }

    @inline(__always) static func fma(_ a: Float, _ b: Float, _ c: Float) -> Float {
        c.addingProduct(a, b)
    }
}

