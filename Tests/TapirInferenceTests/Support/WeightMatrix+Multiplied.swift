@testable import TapirInference

extension WeightMatrix {
    /// Every row times each of the `batch` activation rows of `x`, through `multiply` (which
    /// quantises the activations itself): `result[token * rows + row]`.
    func multiplied(_ x: [Float], batch: Int) -> [Float] {
        var out = [Float](repeating: .nan, count: batch * rows)
        x.withUnsafeBufferPointer { xp in
            out.withUnsafeMutableBufferPointer { op in
                multiply(rows: 0..<rows, batch: batch, x: xp.baseAddress!, q8: nil, out: op.baseAddress!, outStride: rows)
            }
        }
        return out
    }
}
