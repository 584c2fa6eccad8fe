/// Dequantisation of ggml block formats to `Float`.
public enum Dequantize {
    @inline(__always) static func f16(_ p: UnsafeRawPointer, _ offset: Int) -> Float {
        Float(Float16(bitPattern: p.loadUnaligned(fromByteOffset: offset, as: UInt16.self)))
    }

    /// Dequantises `count` elements (a multiple of the type's block size) starting at `src`.
    public static func row(_ type: GGMLType, _ src: UnsafeRawPointer, count: Int, into y: UnsafeMutablePointer<Float>) {
        switch type {
        case .f32:
            y.update(from: src.assumingMemoryBound(to: Float.self), count: count)
        case .f16:
            for i in 0..<count { y[i] = f16(src, 2 * i) }
        case .bf16:
            for i in 0..<count {
                y[i] = Float(bitPattern: UInt32(src.loadUnaligned(fromByteOffset: 2 * i, as: UInt16.self)) << 16)
            }
        case .q8_0:
            for b in 0..<count / 32 {
                let blk = src + b * 34
                let d = f16(blk, 0)
                let q = (blk + 2).assumingMemoryBound(to: Int8.self)
                for j in 0..<32 { y[b * 32 + j] = d * Float(q[j]) }
            }
        case .q4_0:
            for b in 0..<count / 32 {
                let blk = src + b * 18
                let d = f16(blk, 0)
                let q = (blk + 2).assumingMemoryBound(to: UInt8.self)
                for j in 0..<16 {
                    y[b * 32 + j] = d * Float(Int(q[j] & 0xF) - 8)
                    y[b * 32 + j + 16] = d * Float(Int(q[j] >> 4) - 8)
                }
            }
        case .q4_1:
            for b in 0..<count / 32 {
                let blk = src + b * 20
                let d = f16(blk, 0), m = f16(blk, 2)
                let q = (blk + 4).assumingMemoryBound(to: UInt8.self)
                for j in 0..<16 {
                    y[b * 32 + j] = d * Float(q[j] & 0xF) + m
                    y[b * 32 + j + 16] = d * Float(q[j] >> 4) + m
                }
            }
        case .q4_K:
            for b in 0..<count / 256 {
                let blk = src + b * 144
                let d = f16(blk, 0), dmin = f16(blk, 2)
                let sc = (blk + 4).assumingMemoryBound(to: UInt8.self)
                var q = (blk + 16).assumingMemoryBound(to: UInt8.self)
                var out = y + b * 256
                for j in stride(from: 0, to: 8, by: 2) {
                    let (s1, m1) = scaleMinK4(j, sc)
                    let (s2, m2) = scaleMinK4(j + 1, sc)
                    let d1 = d * Float(s1), mm1 = dmin * Float(m1)
                    let d2 = d * Float(s2), mm2 = dmin * Float(m2)
                    for l in 0..<32 {
                        out[l] = d1 * Float(q[l] & 0xF) - mm1
                        out[l + 32] = d2 * Float(q[l] >> 4) - mm2
                    }
                    out += 64
                    q += 32
                }
            }
        case .q6_K:
            for b in 0..<count / 256 {
                let blk = src + b * 210
                var ql = blk.assumingMemoryBound(to: UInt8.self)
                var qh = (blk + 128).assumingMemoryBound(to: UInt8.self)
                var sc = (blk + 192).assumingMemoryBound(to: Int8.self)
                let d = f16(blk, 208)
                var out = y + b * 256
                for _ in 0..<2 {
                    for l in 0..<32 {
                        let i = l / 16
                        let q1 = Int(ql[l] & 0xF | ((qh[l] >> 0) & 3) << 4) - 32
                        let q2 = Int(ql[l + 32] & 0xF | ((qh[l] >> 2) & 3) << 4) - 32
                        let q3 = Int(ql[l] >> 4 | ((qh[l] >> 4) & 3) << 4) - 32
                        let q4 = Int(ql[l + 32] >> 4 | ((qh[l] >> 6) & 3) << 4) - 32
                        out[l] = d * Float(sc[i]) * Float(q1)
                        out[l + 32] = d * Float(sc[i + 2]) * Float(q2)
                        out[l + 64] = d * Float(sc[i + 4]) * Float(q3)
                        out[l + 96] = d * Float(sc[i + 6]) * Float(q4)
                    }
                    out += 128
                    ql += 64
                    qh += 32
                    sc += 8
                }
            }
        default:
            y.update(repeating: .nan, count: count)
        }
    }

    @inline(__always) static func scaleMinK4(_ j: Int, _ q: UnsafePointer<UInt8>) -> (UInt8, UInt8) {
        if j < 4 { return (q[j] & 63, q[j + 4] & 63) }
        return ((q[j + 4] & 0xF) | ((q[j - 4] >> 6) << 4), (q[j + 4] >> 4) | ((q[j] >> 6) << 4))
    }
}
