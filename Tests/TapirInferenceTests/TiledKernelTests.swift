import Foundation
import Testing
@testable import TapirInference

/// The tiled matrix kernels give exactly the floats of the per-row definition
/// `WeightMatrix.dot(row:token:q8:)` for every (row, token), on sizes that are not multiples
/// of the tiles and on row ranges that split the 8-row groups.
@Suite struct TiledKernelTests {
    final class Bytes {
        let pointer: UnsafeMutableRawPointer
        init(_ bytes: [UInt8]) {
            pointer = .allocate(byteCount: max(1, bytes.count), alignment: 64)
            pointer.copyMemory(from: bytes, byteCount: bytes.count)
        }
        deinit { pointer.deallocate() }
    }

    /// Random GGUF blocks of `type`: half-precision scales (and mins) in ±[2⁻¹⁰, 2⁻²], random quants.
    static func randomBlocks(_ type: GGMLType, rows: Int, columns: Int, rng: inout Xoshiro256) -> [UInt8] {
        var out: [UInt8] = []
        func half() {
            let mag = Float(Double(rng.next() % 1000) / 1000 * 0.25 + 0.001)
            let v = Float16(rng.next() & 1 == 0 ? mag : -mag)
            withUnsafeBytes(of: v.bitPattern.littleEndian) { out.append(contentsOf: $0) }
        }
        for _ in 0..<(rows * columns / 32) {
            half()
            if type == .q4_1 { half() }
            for _ in 0..<(type == .q8_0 ? 32 : 16) { out.append(UInt8(truncatingIfNeeded: rng.next())) }
        }
        return out
    }

    static func bitsEqual(_ type: GGMLType, rows: Int, columns: Int, batches: ClosedRange<Int>, seed: UInt64) -> [String] {
        var rng = Xoshiro256(seed: seed)
        let bytes = Bytes(randomBlocks(type, rows: rows, columns: columns, rng: &rng))
        let w = WeightMatrix(type: type, rows: rows, columns: columns, data: bytes.pointer, owner: bytes)
        var failures: [String] = []
        for batch in batches {
            var x = (0..<(batch * columns)).map { _ in Float(Double(rng.next() % 20001) / 1000 - 10) }
            // Some all-zero blocks (scale 0) and one large outlier.
            for i in 0..<min(32, x.count) { x[i] = 0 }
            if x.count > 40 { x[40] = 300 }
            let q8 = Q8Activations(rows: batch, columns: columns)
            x.withUnsafeBufferPointer { xp in
                for t in 0..<batch { q8.quantize(row: t, from: xp.baseAddress! + t * columns) }
            }
            // Whole matrix in one call, then split at a row inside an 8-row group.
            for split in [[0, rows], [0, 5, rows], [0, 11, 12, rows]] {
                var out = [Float](repeating: .nan, count: batch * rows)
                x.withUnsafeBufferPointer { xp in
                    out.withUnsafeMutableBufferPointer { op in
                        for k in 0..<(split.count - 1) {
                            w.multiply(rows: split[k]..<split[k + 1], batch: batch, x: xp.baseAddress!, q8: q8,
                                       out: op.baseAddress!, outStride: rows)
                        }
                    }
                }
                for t in 0..<batch {
                    for r in 0..<rows {
                        let want = w.dot(row: r, token: t, q8: q8)
                        if out[t * rows + r].bitPattern != want.bitPattern {
                            failures.append("\(type) batch \(batch) split \(split) row \(r) token \(t): \(out[t * rows + r]) vs \(want)")
                        }
                    }
                }
            }
        }
        return failures
    }

    @Test(arguments: [GGMLType.q4_0, .q4_1, .q8_0])
    func tiledProductsEqualPerRowDefinition(type: GGMLType) {
        let failures = Self.bitsEqual(type, rows: 21, columns: 96, batches: 1...19, seed: 7)
            + Self.bitsEqual(type, rows: 37, columns: 64, batches: 1...6, seed: 11)
        #expect(failures.count == 0, "first mismatches: \(failures.prefix(3))")
    }

    /// The definition itself against a plain scalar evaluation of the same formula.
    @Test(arguments: [GGMLType.q4_0, .q4_1, .q8_0])
    func definitionMatchesScalarFormula(type: GGMLType) {
        var rng = Xoshiro256(seed: 3)
        let rows = 9, columns = 64
        let raw = Self.randomBlocks(type, rows: rows, columns: columns, rng: &rng)
        let bytes = Bytes(raw)
        let w = WeightMatrix(type: type, rows: rows, columns: columns, data: bytes.pointer, owner: bytes)
        var x = (0..<columns).map { _ in Float(Double(rng.next() % 2001) / 100 - 10) }
        let q8 = Q8Activations(rows: 1, columns: columns)
        x.withUnsafeMutableBufferPointer { q8.quantize(row: 0, from: $0.baseAddress!) }
        let bb = type.blockBytes
        for r in 0..<rows {
            // Q4_1, Q8_0: ggml's x86 order (eight FMA lanes of 4-element sums, hsum_float_8,
            // offsets last); Q4_0: exact block sums of (nibble − 8)·q, FMA-accumulated in block order.
            var acc: Float = 0, offset: Float = 0
            var lanes = [Float](repeating: 0, count: 8)
            for b in 0..<(columns / 32) {
                let blk = r * (columns / 32) * bb + b * bb
                func f16(_ o: Int) -> Float { Float(Float16(bitPattern: UInt16(raw[blk + o]) | UInt16(raw[blk + o + 1]) << 8)) }
                var part = [Int32](repeating: 0, count: 8)
                for j in 0..<32 {
                    let wq: Int32
                    switch type {
                    case .q8_0: wq = Int32(Int8(bitPattern: raw[blk + 2 + j]))
                    case .q4_1: wq = Int32(j < 16 ? raw[blk + 4 + j] & 15 : raw[blk + 4 + j - 16] >> 4)
                    default: wq = Int32(j < 16 ? raw[blk + 2 + j] & 15 : raw[blk + 2 + j - 16] >> 4) - 8
                    }
                    part[j / 4] += wq * Int32(q8.qs[b * 32 + j])
                }
                let scale = f16(0) * q8.scales[b]
                if type == .q4_0 {
                    acc = acc.addingProduct(Float(part.reduce(0, +)), scale)
                } else {
                    for l in 0..<8 { lanes[l] = lanes[l].addingProduct(Float(part[l]), scale) }
                    if type == .q4_1 { offset += f16(2) * q8.sums[b] }
                }
            }
            let h = ((lanes[0] + lanes[4]) + (lanes[2] + lanes[6])) + ((lanes[1] + lanes[5]) + (lanes[3] + lanes[7]))
            let want = type == .q4_1 ? h + offset : type == .q4_0 ? acc : h
            #expect(w.dot(row: r, token: 0, q8: q8).bitPattern == want.bitPattern, "\(type) row \(r)")
        }
    }
}
