/// A 2-D weight tensor (`rows` × `columns`, row-major as in GGUF) prepared for
/// matrix-vector products against a batch of activation vectors.
///
/// Q4_0, Q4_1 and Q8_0 rows are repacked (scales as `Float`, quants contiguous) and
/// multiplied with int8-quantised activations; the other types are dequantised row by row
/// and multiplied in `Float`.
public final class WeightMatrix: @unchecked Sendable {
    public let rows: Int
    public let columns: Int
    public let type: GGMLType
    let blocksPerRow: Int
    /// Q4_0 / Q8_0: d per block. Q4_1: (d, m) pairs per block.
    let scales: UnsafeMutablePointer<Float>?
    /// Packed quants: 16 bytes per block (4-bit) or 32 bytes per block (Q8_0).
    let quants: UnsafeMutableRawPointer?
    /// Raw GGUF data for the float path (kept alive by `owner`).
    let raw: UnsafeRawPointer
    let rawRowBytes: Int
    private let owner: AnyObject

    var usesQ8: Bool { scales != nil }

    /// Prepares `data` (the tensor's bytes, owned by `owner`) for products.
    public init(type: GGMLType, rows: Int, columns: Int, data: UnsafeRawPointer, owner: AnyObject) {
        self.type = type
        self.rows = rows
        self.columns = columns
        self.raw = data
        self.owner = owner
        self.rawRowBytes = type.byteCount(elements: columns)
        blocksPerRow = columns / 32
        let nb = rows * blocksPerRow
        switch type {
        case .q4_0, .q4_1:
            let perBlock = type == .q4_1 ? 2 : 1
            let s = UnsafeMutablePointer<Float>.allocate(capacity: nb * perBlock)
            let q = UnsafeMutableRawPointer.allocate(byteCount: nb * 16, alignment: 64)
            let bb = type.blockBytes, head = type == .q4_1 ? 4 : 2
            for b in 0..<nb {
                let blk = data + b * bb
                s[b * perBlock] = Dequantize.f16(blk, 0)
                if perBlock == 2 { s[b * 2 + 1] = Dequantize.f16(blk, 2) }
                (q + b * 16).copyMemory(from: blk + head, byteCount: 16)
            }
            scales = s
            quants = q
        case .q8_0:
            let s = UnsafeMutablePointer<Float>.allocate(capacity: nb)
            let q = UnsafeMutableRawPointer.allocate(byteCount: nb * 32, alignment: 64)
            for b in 0..<nb {
                let blk = data + b * 34
                s[b] = Dequantize.f16(blk, 0)
                (q + b * 32).copyMemory(from: blk + 2, byteCount: 32)
            }
            scales = s
            quants = q
        default:
            scales = nil
            quants = nil
        }
    }

    deinit {
        scales?.deallocate()
        quants?.deallocate()
    }

    /// Dequantises row `r` into `y` (`columns` floats).
    func dequantizeRow(_ r: Int, into y: UnsafeMutablePointer<Float>) {
        Dequantize.row(type, raw + r * rawRowBytes, count: columns, into: y)
    }

    /// `out[b * outStride + r] = row r · x[b]` for rows `range`, for every batch item.
    /// `x` holds the activations as floats; `q8` the same activations quantised (needed
    /// when `usesQ8`).
    func multiply(
        rows range: Range<Int>, batch: Int, x: UnsafePointer<Float>, q8: Q8Activations?,
        out: UnsafeMutablePointer<Float>, outStride: Int
    ) {
        if let scales, let quants, let q8 {
            switch type {
            case .q4_1:
                for r in range {
                    for b in 0..<batch {
                        out[b * outStride + r] = Self.dotQ4_1(
                            scales + r * blocksPerRow * 2, quants + r * blocksPerRow * 16, blocksPerRow,
                            q8.qs16 + b * columns, q8.scales + b * blocksPerRow, q8.sums + b * blocksPerRow)
                    }
                }
            case .q4_0:
                for r in range {
                    for b in 0..<batch {
                        out[b * outStride + r] = Self.dotQ4_0(
                            scales + r * blocksPerRow, quants + r * blocksPerRow * 16, blocksPerRow,
                            q8.qs16 + b * columns, q8.scales + b * blocksPerRow, q8.sums + b * blocksPerRow)
                    }
                }
            default:
                for r in range {
                    for b in 0..<batch {
                        out[b * outStride + r] = Self.dotQ8_0(
                            scales + r * blocksPerRow, quants + r * blocksPerRow * 32, blocksPerRow,
                            q8.qs16 + b * columns, q8.scales + b * blocksPerRow)
                    }
                }
            }
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

    /// Σ over 32 elements of nibble × int8 for one block. The 16 weight bytes are read as
    /// eight 16-bit lanes so the four nibbles of each lane come out with masks and shifts (no
    /// lane-type conversions); `a` is the block's activations in `Q8Activations.qs16` order.
    @inline(__always) static func nibbleDot(_ w: UnsafeRawPointer, _ a: UnsafePointer<Int16>) -> Int32 {
        let v = w.load(as: SIMD8<UInt16>.self)
        let m = SIMD8<UInt16>(repeating: 0x000F)
        let loEven = unsafeBitCast(v & m, to: SIMD8<Int16>.self)
        let loOdd = unsafeBitCast((v &>> 8) & m, to: SIMD8<Int16>.self)
        let hiEven = unsafeBitCast((v &>> 4) & m, to: SIMD8<Int16>.self)
        let hiOdd = unsafeBitCast((v &>> 12) & m, to: SIMD8<Int16>.self)
        let ra = UnsafeRawPointer(a)
        // |sum| ≤ 4 × 15 × 128 per lane: fits Int16.
        let p = loEven &* ra.loadUnaligned(as: SIMD8<Int16>.self)
            &+ loOdd &* ra.loadUnaligned(fromByteOffset: 16, as: SIMD8<Int16>.self)
            &+ hiEven &* ra.loadUnaligned(fromByteOffset: 32, as: SIMD8<Int16>.self)
            &+ hiOdd &* ra.loadUnaligned(fromByteOffset: 48, as: SIMD8<Int16>.self)
        // Sign-extend both 16-bit halves of each 32-bit lane and add them.
        let y = unsafeBitCast(p, to: SIMD4<Int32>.self)
        return (((y &<< 16) &>> 16) &+ (y &>> 16)).wrappedSum()
    }

    /// The block's 32 nibble × int8 products summed in groups of four consecutive elements:
    /// lane l holds elements 4l..<4l+4, as ggml's AVX2 `mul_sum_us8_pairs_float`.
    @inline(__always) static func nibbleLanes(_ w: UnsafeRawPointer, _ a: UnsafePointer<Int16>) -> SIMD8<Int32> {
        let v = w.load(as: SIMD8<UInt16>.self)
        let m = SIMD8<UInt16>(repeating: 0x000F)
        let loEven = unsafeBitCast(v & m, to: SIMD8<Int16>.self)
        let loOdd = unsafeBitCast((v &>> 8) & m, to: SIMD8<Int16>.self)
        let hiEven = unsafeBitCast((v &>> 4) & m, to: SIMD8<Int16>.self)
        let hiOdd = unsafeBitCast((v &>> 12) & m, to: SIMD8<Int16>.self)
        let ra = UnsafeRawPointer(a)
        // Lane j: elements 2j, 2j+1 (lo) and 16+2j, 17+2j (hi); |sum| ≤ 2 × 15 × 128.
        let lo = loEven &* ra.loadUnaligned(as: SIMD8<Int16>.self)
            &+ loOdd &* ra.loadUnaligned(fromByteOffset: 16, as: SIMD8<Int16>.self)
        let hi = hiEven &* ra.loadUnaligned(fromByteOffset: 32, as: SIMD8<Int16>.self)
            &+ hiOdd &* ra.loadUnaligned(fromByteOffset: 48, as: SIMD8<Int16>.self)
        return SIMD8(lowHalf: pairSums(lo), highHalf: pairSums(hi))
    }

    /// Q4_1 · Q8_1 exactly as ggml's x86 kernel: per block, the eight 4-element partial sums
    /// times d_w·d_a accumulated by FMA into eight Float lanes; the lanes reduced as
    /// `hsum_float_8` ((l0+l4)+(l2+l6)) + ((l1+l5)+(l3+l7)); the offset terms m_w·s_a summed
    /// separately in block order and added last.
    @inline(__always) static func dotQ4_1(
        _ s: UnsafePointer<Float>, _ q: UnsafeRawPointer, _ nb: Int,
        _ a: UnsafePointer<Int16>, _ ad: UnsafePointer<Float>, _ asum: UnsafePointer<Float>
    ) -> Float {
        var acc = SIMD8<Float>.zero
        var offset: Float = 0
        for b in 0..<nb {
            offset += s[2 * b + 1] * asum[b]
            let xy = SIMD8<Float>(nibbleLanes(q + b * 16, a + b * 32))
            acc = acc.addingProduct(xy, SIMD8<Float>(repeating: s[2 * b] * ad[b]))
        }
        let r = acc.lowHalf + acc.highHalf
        return ((r[0] + r[2]) + (r[1] + r[3])) + offset
    }

    @inline(__always) static func dotQ4_0(
        _ s: UnsafePointer<Float>, _ q: UnsafeRawPointer, _ nb: Int,
        _ a: UnsafePointer<Int16>, _ ad: UnsafePointer<Float>, _ asum: UnsafePointer<Float>
    ) -> Float {
        var acc: Float = 0
        var offset: Float = 0
        for b in 0..<nb {
            let i = nibbleDot(q + b * 16, a + b * 32)
            acc += Float(i) * (s[b] * ad[b])
            offset += s[b] * asum[b]
        }
        return acc - 8 * offset
    }

    /// Sign-extends both 16-bit halves of each 32-bit lane and adds them.
    @inline(__always) static func pairSums(_ p: SIMD8<Int16>) -> SIMD4<Int32> {
        let y = unsafeBitCast(p, to: SIMD4<Int32>.self)
        return ((y &<< 16) &>> 16) &+ (y &>> 16)
    }

    /// Q8_0 rows: 16-byte halves read as 16-bit lanes give the even and odd int8 weights
    /// sign-extended by shifts, matching the `qs16` activation order. Accumulated as ggml's
    /// x86 kernel (and llamafile's tinyBLAS): eight FMA lanes of 4-element partial sums times
    /// d_w·d_a, reduced as `hsum_float_8`.
    @inline(__always) static func dotQ8_0(
        _ s: UnsafePointer<Float>, _ q: UnsafeRawPointer, _ nb: Int,
        _ a: UnsafePointer<Int16>, _ ad: UnsafePointer<Float>
    ) -> Float {
        var acc = SIMD8<Float>.zero
        for b in 0..<nb {
            let w = q + b * 32, ra = UnsafeRawPointer(a + b * 32)
            let v0 = w.load(as: SIMD8<Int16>.self), v1 = w.load(fromByteOffset: 16, as: SIMD8<Int16>.self)
            let even0 = (v0 &<< 8) &>> 8, odd0 = v0 &>> 8
            let even1 = (v1 &<< 8) &>> 8, odd1 = v1 &>> 8
            // Two products per lane stay within Int16 (2 × 127 × 128).
            let p0 = even0 &* ra.loadUnaligned(as: SIMD8<Int16>.self)
                &+ odd0 &* ra.loadUnaligned(fromByteOffset: 16, as: SIMD8<Int16>.self)
            let p1 = even1 &* ra.loadUnaligned(fromByteOffset: 32, as: SIMD8<Int16>.self)
                &+ odd1 &* ra.loadUnaligned(fromByteOffset: 48, as: SIMD8<Int16>.self)
            let xy = SIMD8<Float>(SIMD8(lowHalf: pairSums(p0), highHalf: pairSums(p1)))
            acc = acc.addingProduct(xy, SIMD8<Float>(repeating: s[b] * ad[b]))
        }
        let r = acc.lowHalf + acc.highHalf
        return (r[0] + r[2]) + (r[1] + r[3])
    }
}
