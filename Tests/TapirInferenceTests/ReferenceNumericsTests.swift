import Testing
@testable import TapirInference

/// The 16-lane `exp` and `silu` give the scalar ones' results bit for bit, across the normal
/// range, near and past its ends (where lanes fall back to the scalar path), and for NaN.
@Suite struct ReferenceNumericsTests {
    static func inputs() -> [Float] {
        var rng = Xoshiro256(seed: 5)
        var xs: [Float] = [0, -0, 1, -1, 88.7, 88.8, -87.3, -87.4, -103.9, -104, -200, 200, .infinity, -.infinity, .nan]
        for _ in 0..<20_000 { xs.append((rng.nextUnitFloat() - 0.5) * 240) }
        for _ in 0..<4_000 { xs.append((rng.nextUnitFloat() - 0.5) * 8) }
        while xs.count % 16 != 0 { xs.append(0.5) }
        return xs
    }

    @Test func vectorExpAndSiluMatchScalar() {
        let xs = Self.inputs()
        var mismatches: [String] = []
        for c in stride(from: 0, to: xs.count, by: 16) {
            var v = SIMD16<Float>()
            for l in 0..<16 { v[l] = xs[c + l] }
            let e = ReferenceNumerics.exp(v), s = ReferenceNumerics.silu(v)
            for l in 0..<16 {
                let x = xs[c + l]
                let we = ReferenceNumerics.exp(x), ws = ReferenceNumerics.silu(x)
                if e[l].bitPattern != we.bitPattern && !(e[l].isNaN && we.isNaN) { mismatches.append("exp(\(x)): \(e[l]) vs \(we)") }
                if s[l].bitPattern != ws.bitPattern && !(s[l].isNaN && ws.isNaN) { mismatches.append("silu(\(x)): \(s[l]) vs \(ws)") }
            }
        }
        #expect(mismatches.isEmpty, "\(mismatches.prefix(5))")
    }

    /// A chunk entirely inside the range takes the vector path; its values still match.
    @Test func chunksInsideTheRangeMatch() {
        var v = SIMD16<Float>()
        for l in 0..<16 { v[l] = -Float(l) * 5.3 + 0.37 }
        let e = ReferenceNumerics.exp(v)
        for l in 0..<16 { #expect(e[l].bitPattern == ReferenceNumerics.exp(v[l]).bitPattern) }
    }
}
