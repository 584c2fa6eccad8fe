import Foundation
import Testing
@testable import TapirInference

/// Kernels against reference values written by scripts/quant-reference/make_fixtures.py
/// (the `gguf` Python package's quantise/dequantise).
@Suite struct TensorKernelTests {
    struct Fixture: Decodable {
        var type: String
        var rows: Int
        var columns: Int
        var raw: String
        var dequantized: [Float]
        var x: [Float]
        var dot: [Double]
    }

    final class Bytes {
        let pointer: UnsafeMutableRawPointer
        init(_ data: Data) {
            pointer = .allocate(byteCount: data.count, alignment: 64)
            data.copyBytes(to: pointer.assumingMemoryBound(to: UInt8.self), count: data.count)
        }
        deinit { pointer.deallocate() }
    }

    static let types: [(String, GGMLType)] = [
        ("f32", .f32), ("f16", .f16), ("bf16", .bf16), ("q8_0", .q8_0),
        ("q4_0", .q4_0), ("q4_1", .q4_1), ("q4_k", .q4_K), ("q6_k", .q6_K),
    ]

    func load(_ name: String) throws -> (Fixture, Bytes) {
        let url = TestModel.fixtures.appendingPathComponent("quant/\(name).json")
        let f = try JSONDecoder().decode(Fixture.self, from: Data(contentsOf: url))
        let raw = try #require(Data(base64Encoded: f.raw))
        return (f, Bytes(raw))
    }

    @Test(arguments: types)
    func dequantizeMatchesReference(name: String, type: GGMLType) throws {
        let (f, bytes) = try load(name)
        #expect(f.type == name)
        let w = WeightMatrix(type: type, rows: f.rows, columns: f.columns, data: bytes.pointer, owner: bytes)
        var y = [Float](repeating: 0, count: f.columns)
        for r in 0..<f.rows {
            y.withUnsafeMutableBufferPointer { w.dequantizeRow(r, into: $0.baseAddress!) }
            for c in 0..<f.columns {
                let ref = f.dequantized[r * f.columns + c]
                #expect(abs(y[c] - ref) <= 1e-6 * max(1, abs(ref)), "\(name) row \(r) col \(c): \(y[c]) vs \(ref)")
            }
        }
    }

    @Test(arguments: types)
    func dotMatchesReference(name: String, type: GGMLType) throws {
        let (f, bytes) = try load(name)
        let w = WeightMatrix(type: type, rows: f.rows, columns: f.columns, data: bytes.pointer, owner: bytes)
        let batch = 2
        // Second batch item: x scaled by -0.5 (so dot is -0.5 × reference).
        var x = f.x + f.x.map { $0 * -0.5 }
        let q8 = Q8Activations(rows: batch, columns: f.columns)
        var out = [Float](repeating: 0, count: batch * f.rows)
        x.withUnsafeMutableBufferPointer { xp in
            for b in 0..<batch { q8.quantize(row: b, from: xp.baseAddress! + b * f.columns) }
            out.withUnsafeMutableBufferPointer { op in
                w.multiply(rows: 0..<f.rows, batch: batch, x: xp.baseAddress!, q8: q8, out: op.baseAddress!, outStride: f.rows)
            }
        }
        // Norm of the row × norm of x bounds the size of the activation-quantisation error.
        let xNorm = sqrt(f.x.reduce(0) { $0 + Double($1 * $1) })
        for r in 0..<f.rows {
            let row = f.dequantized[(r * f.columns)..<((r + 1) * f.columns)]
            let rowNorm = sqrt(row.reduce(0) { $0 + Double($1 * $1) })
            // BF16: activations rounded to BF16 as llama.cpp does (relative error ≤ 2⁻⁹ each).
            let tol = w.usesQ8 ? 0.01 * rowNorm * xNorm : (type == .bf16 ? 0x1p-9 + 1e-4 : 1e-4) * rowNorm * xNorm
            #expect(abs(Double(out[r]) - f.dot[r]) <= tol, "\(name) row \(r): \(out[r]) vs \(f.dot[r])")
            #expect(abs(Double(out[f.rows + r]) + 0.5 * f.dot[r]) <= tol, "\(name) batch 1 row \(r)")
        }
    }

    @Test func q8QuantizationRoundTrips() {
        var x = (0..<64).map { Float($0 - 30) * 0.37 }
        let q8 = Q8Activations(rows: 1, columns: 64)
        x.withUnsafeMutableBufferPointer { q8.quantize(row: 0, from: $0.baseAddress!) }
        for i in 0..<64 {
            let d = q8.scales[i / 32]
            #expect(abs(Float(q8.qs[i]) * d - x[i]) <= d / 2 + 2e-3 * abs(x[i]) + 1e-6)
        }
        let s0 = (0..<32).reduce(Float(0)) { $0 + Float(q8.qs[$1]) } * q8.scales[0]
        #expect(abs(q8.sums[0] - s0) <= 2e-3 * abs(s0) + 1e-4)
    }

    @Test func workerPoolCoversEveryIndexOnce() {
        let pool = WorkerPool(threads: 3)
        let n = 1000
        let hits = UnsafeMutablePointer<Int>.allocate(capacity: n)
        hits.initialize(repeating: 0, count: n)
        defer { hits.deallocate() }
        for _ in 0..<50 {
            pool.parallelFor(n) { range in for i in range { hits[i] += 1 } }
        }
        #expect((0..<n).allSatisfy { hits[$0] == 50 })
    }
}
