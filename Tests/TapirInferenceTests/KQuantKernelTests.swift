import Foundation
import Testing
@testable import TapirInference

/// The Q4_K/Q6_K × Q8_K kernels against independent references: the `Q8_K` quantisation
/// against scripts/reference/make_q8k_reference.py (numpy), and every summation order against
/// a Double dot of the `gguf` package's dequantised weights (Fixtures/quant/q4_k.json,
/// q6_k.json, from scripts/quant-reference/make_fixtures.py) with the dequantised activations.
@Suite struct KQuantKernelTests {
    struct Q8KFixture: Decodable {
        var columns: Int
        var x: [[Float]]
        var qs: [[Int]]
        var d: [[Float]]
        var bsums: [[Int]]
    }

    @Test func q8KQuantizationMatchesReference() throws {
        let url = TestModel.fixtures.appendingPathComponent("quant/q8_k.json")
        let f = try JSONDecoder().decode(Q8KFixture.self, from: Data(contentsOf: url))
        let q8 = Q8KActivations(rows: f.x.count, columns: f.columns)
        q8.quantize(from: f.x.flatMap { $0 })
        for r in 0..<f.x.count {
            for i in 0..<f.columns { #expect(Int(q8.qs[r * f.columns + i]) == f.qs[r][i], "row \(r) element \(i)") }
            for b in 0..<q8.blocks {
                #expect(q8.scales[r * q8.blocks + b].bitPattern == f.d[r][b].bitPattern, "row \(r) block \(b) d")
                for i in 0..<16 { #expect(Int(q8.bsums[(r * q8.blocks + b) * 16 + i]) == f.bsums[r][b * 16 + i]) }
            }
        }
    }

    /// Activations for `batch` tokens: the fixture's x, scaled and shifted per token.
    func activations(_ f: TensorKernelTests.Fixture, batch: Int) -> [Float] {
        (0..<batch).flatMap { t in f.x.enumerated().map { i, v in v * Float(t + 1) * (t % 2 == 0 ? 1 : -0.5) + Float(i % 7) * 0.01 } }
    }

    static let kinds: [(String, GGMLType)] = [("q4_k", .q4_K), ("q6_k", .q6_K)]

    /// Every order (and the rows/batch dispatch of `multiply`) within float rounding of the
    /// exact dot of dequantised weights and dequantised Q8_K activations.
    @Test(arguments: kinds)
    func everyOrderMatchesDequantizedDot(name: String, type: GGMLType) throws {
        let (f, bytes) = try TensorKernelTests().load(name)
        // 8 rows use ggml's repacked Q4_K order; 5 rows its plain dot or tiled GEMM.
        for rows in [f.rows, 5] {
            let w = WeightMatrix(type: type, rows: rows, columns: f.columns, data: bytes.pointer, owner: bytes)
            for batch in [1, 3, 6, 9] {
                let x = activations(f, batch: batch)
                let q8 = Q8KActivations(rows: batch, columns: f.columns)
                q8.quantize(from: x)
                let out = w.multiplied(x, batch: batch)
                for t in 0..<batch {
                    for r in 0..<rows {
                        var exact = 0.0, magnitude = 0.0
                        for i in 0..<f.columns {
                            let a = Double(q8.scales[t * q8.blocks + i / 256]) * Double(q8.qs[t * f.columns + i])
                            let p = Double(f.dequantized[r * f.columns + i]) * a
                            exact += p
                            magnitude += abs(p)
                        }
                        // Float scales (d·d_a rounded) and a few Float accumulations per block.
                        let tol = 4e-6 * magnitude
                        for order in [WeightMatrix.KOrder.vecDot, .tiled, .repackedGEMV, .repackedGEMM] {
                            let v = w.kDot(row: r, token: t, q8: q8, order: order)
                            #expect(abs(Double(v) - exact) <= tol, "\(name) \(order) row \(r) token \(t): \(v) vs \(exact)")
                        }
                        #expect(abs(Double(out[t * rows + r]) - exact) <= tol, "\(name) multiply row \(r) token \(t)")
                    }
                }
            }
        }
    }

    /// `multiply` picks ggml's kernel per matrix and batch size: its results are bit for bit
    /// those of `kDot` in that kernel's order.
    @Test(arguments: kinds)
    func multiplyUsesGgmlsKernelChoice(name: String, type: GGMLType) throws {
        let (f, bytes) = try TensorKernelTests().load(name)
        for rows in [f.rows, 5] {
            let w = WeightMatrix(type: type, rows: rows, columns: f.columns, data: bytes.pointer, owner: bytes)
            for batch in [1, 4, 7, 8, 11] {
                let x = activations(f, batch: batch)
                let q8 = Q8KActivations(rows: batch, columns: f.columns)
                q8.quantize(from: x)
                let out = w.multiplied(x, batch: batch)
                for t in 0..<batch {
                    let order: WeightMatrix.KOrder
                    if type == .q4_K && rows % 8 == 0 {
                        order = t < batch - batch % 4 ? .repackedGEMM : .repackedGEMV
                    } else {
                        order = batch >= 8 ? .tiled : .vecDot
                    }
                    for r in 0..<rows {
                        let want = w.kDot(row: r, token: t, q8: q8, order: order)
                        #expect(out[t * rows + r].bitPattern == want.bitPattern, "\(name) rows \(rows) batch \(batch) token \(t) row \(r)")
                    }
                }
            }
        }
    }

    /// The vectorised Q6_K block product equals its element-by-element definition, lane by lane.
    @Test func q6KLanesMatchPortableDefinition() throws {
        let (f, bytes) = try TensorKernelTests().load("q6_k")
        let x = activations(f, batch: 2)
        let q8 = Q8KActivations(rows: 2, columns: f.columns)
        q8.quantize(from: x)
        let rowBytes = GGMLType.q6_K.byteCount(elements: f.columns)
        for r in 0..<f.rows {
            for t in 0..<2 {
                for b in 0..<q8.blocks {
                    let blk = UnsafeRawPointer(bytes.pointer) + r * rowBytes + b * WeightMatrix.kBlockBytesQ6
                    let a = UnsafeRawPointer(q8.qs + t * f.columns + b * 256)
                    let sums = q8.bsums + (t * q8.blocks + b) * 16
                    #expect(KQuantDot.q6K(blk, a, sums) == KQuantDot.q6KPortable(blk, a, sums))
                }
            }
        }
    }
}
