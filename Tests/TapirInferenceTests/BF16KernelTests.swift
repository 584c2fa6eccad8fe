import Foundation
import Testing
@testable import TapirInference

/// The fused BF16 product: against llama.cpp on a tiny qwen2 model whose matrices are all
/// BF16 (Fixtures/tiny/qwen2-tiny-bf16.gguf, scripts/reference/make_tiny_qwen2.py), and both
/// summation orders against a Double dot of the `gguf` package's dequantised rows
/// (Fixtures/quant/bf16.json, scripts/quant-reference/make_fixtures.py).
@Suite(.serialized) struct BF16KernelTests {
    static let stem = "qwen2-tiny-bf16"

    /// Tolerance 0: activations are rounded to BF16 as ggml rounds them and every product
    /// follows the order of the kernel llama.cpp picks on this machine (AVX512-BF16
    /// `ggml_vec_dot_bf16` for one token, tinyBLAS for batches), so any difference is a change
    /// in numerics.
    @Test func teacherForcedLogitsMatchLlamaCpp() throws {
        let q = Qwen2ReferenceTests()
        let (m, ref) = try q.load(Self.stem)
        #expect(m.output.type == .bf16 && m.layers.allSatisfy { [$0.q, $0.k, $0.v, $0.o, $0.gate, $0.up, $0.down].allSatisfy { $0.type == .bf16 } })
        let (agree, total, maxDiff) = try q.teacherForced(m, ref)
        print("\(Self.stem): argmax agreement \(agree)/\(total), max |logit - llama.cpp| = \(maxDiff)")
        #expect(total == ref.teacher_forced.reduce(0) { $0 + $1.tokens.count })
        #expect(agree == total)
        #expect(maxDiff <= 0, "max logit difference \(maxDiff)")
    }

    /// llama.cpp's greedy continuations (prompt in one batch, then one token at a time).
    @Test func greedyContinuationsMatchLlamaCpp() async throws {
        let (m, ref) = try Qwen2ReferenceTests().load(Self.stem)
        let outputs = try await GreedyGeneration.run(
            m, prompts: ref.greedy.map(\.prompt_tokens), lengths: ref.greedy.map(\.generated.count), maxBatch: 4)
        #expect(!ref.greedy.isEmpty)
        for (g, got) in zip(ref.greedy, outputs) { #expect(got == g.generated) }
    }

    @Test func roundingToBF16MatchesGgml() {
        // Ties go to even; NaN stays NaN (quiet); infinities and signs are kept.
        #expect(WeightMatrix.bf16Bits(Float(bitPattern: 0x3f80_8000)) == 0x3f80)
        #expect(WeightMatrix.bf16Bits(Float(bitPattern: 0x3f81_8000)) == 0x3f82)
        #expect(WeightMatrix.bf16Bits(Float(bitPattern: 0x3f80_8001)) == 0x3f81)
        #expect(WeightMatrix.bf16Bits(-1.0) == 0xbf80)
        #expect(WeightMatrix.bf16Bits(.infinity) == 0x7f80)
        #expect(WeightMatrix.bf16Bits(Float(bitPattern: 0x7f80_0001)) == 0x7fc0)
        #expect(WeightMatrix.bf16Bits(.greatestFiniteMagnitude) == 0x7f80)
    }

    /// Activations for `batch` tokens of `columns` values: the fixture's x, scaled and shifted.
    func activations(_ x: [Float], columns: Int, batch: Int) -> [Float] {
        var out: [Float] = []
        for t in 0..<batch {
            let scale: Float = Float(t + 1) * (t % 2 == 0 ? 1 : -0.5)
            for i in 0..<columns { out.append(x[i] * scale + Float(i % 7) * 0.01) }
        }
        return out
    }

    /// Both orders, and `multiply`, within their rounding bound of the exact dot of the
    /// dequantised weights and the BF16-rounded activations. Row lengths 512 (whole 64-runs),
    /// 480 (a 32-run left for `vecDot`'s second accumulator) and 100 (a tail and no GEMM); 6
    /// rows (not a multiple of 4: tinyBLAS declines, `vecDot` for batches too).
    @Test func everyOrderMatchesDequantizedDot() throws {
        let (f, bytes) = try TensorKernelTests().load("bf16")
        #expect(f.type == "bf16")
        for (columns, rows) in [(f.columns, f.rows), (f.columns, 6), (480, 8), (100, 40)] {
            let gemm = columns % 32 == 0 && rows % 4 == 0
            let w = WeightMatrix(type: .bf16, rows: rows, columns: columns, data: bytes.pointer, owner: bytes)
            for batch in [1, 2, 5] {
                let x = activations(f.x, columns: columns, batch: batch)
                let bits = x.map(WeightMatrix.bf16Bits)
                let out = w.multiplied(x, batch: batch)
                for t in 0..<batch {
                    for r in 0..<rows {
                        var exact = 0.0, magnitude = 0.0
                        for i in 0..<columns {
                            let a = Double(Float(bitPattern: UInt32(bits[t * columns + i]) << 16))
                            let p = Double(f.dequantized[r * columns + i]) * a
                            exact += p
                            magnitude += abs(p)
                        }
                        // Each product is exact; a term meets at most columns/16 + 6 rounded adds.
                        let tol = Double(columns / 16 + 6) * 0x1p-24 * magnitude
                        for order in [WeightMatrix.BF16Order.vecDot, .gemm] where order == .vecDot || columns % 32 == 0 {
                            let v = bits.withUnsafeBufferPointer { w.bf16Dot(row: r, token: t, xBits: $0.baseAddress!, order: order) }
                            #expect(abs(Double(v) - exact) <= tol, "\(order) columns \(columns) row \(r) token \(t): \(v) vs \(exact)")
                            if order == (batch > 1 && gemm ? .gemm : .vecDot) {
                                #expect(out[t * rows + r].bitPattern == v.bitPattern, "multiply columns \(columns) batch \(batch) row \(r) token \(t)")
                            }
                        }
                    }
                }
            }
        }
    }

    /// The vectorised `vdpbf16ps` step equals its element-by-element definition.
    @Test func dpbf16StepMatchesDefinition() throws {
        let (f, bytes) = try TensorKernelTests().load("bf16")
        let bits = activations(f.x, columns: f.columns, batch: 1).map(WeightMatrix.bf16Bits)
        let w = UnsafeRawPointer(bytes.pointer)
        var acc = SIMD16<Float>(repeating: 0.25)
        bits.withUnsafeBufferPointer { xb in
            let x = UnsafeRawPointer(xb.baseAddress!)
            for s in 0..<(f.columns / 32) {
                let next = WeightMatrix.dpbf16(acc, w + 64 * s, x + 64 * s)
                for j in 0..<16 {
                    func value(_ p: UnsafeRawPointer, _ e: Int) -> Float {
                        Float(bitPattern: UInt32(p.loadUnaligned(fromByteOffset: 64 * s + 2 * e, as: UInt16.self)) << 16)
                    }
                    let odd = acc[j] + value(w, 2 * j + 1) * value(x, 2 * j + 1)
                    let want = odd + value(w, 2 * j) * value(x, 2 * j)
                    #expect(next[j].bitPattern == want.bitPattern, "step \(s) lane \(j)")
                }
                acc = next
            }
        }
    }
}
