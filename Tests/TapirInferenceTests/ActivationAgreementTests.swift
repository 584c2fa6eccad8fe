import Foundation
import Testing
@testable import TapirInference

/// Bit-for-bit agreement of every per-layer activation with llama.cpp on the real SmolLM2:
/// a chat prompt in one batch, then three single-token steps. The fixture holds fingerprints
/// of llama.cpp's tensors (scripts/reference/dump_activations.py --fingerprints); the test
/// names the first tensor that differs, which is where to look after a numerics change.
@Suite(.serialized) struct ActivationAgreementTests {
    struct Reference: Decodable {
        struct Step: Decodable {
            var tokens: [Int32]
            var layers: [[String: String]]
            var result_norm: String
            var logits: String
        }
        var steps: [Step]
    }

    static let layerTensors = [
        "attn_norm", "Qcur", "Kcur", "Vcur", "kqv_out", "attn_out", "ffn_inp",
        "ffn_norm", "ffn_gate", "ffn_up", "ffn_swiglu", "l_out",
    ]

    /// Σ bits(v[i]) × (2i + 1) mod 2⁶⁴, as the script computes it.
    static func fingerprint(_ p: UnsafePointer<Float>, _ n: Int) -> String {
        var h: UInt64 = 0
        for i in 0..<n { h &+= UInt64(p[i].bitPattern) &* (UInt64(i) &* 2 &+ 1) }
        let hex = String(h, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }

    @Test func everyLayerMatchesLlamaCpp() throws {
        guard let path = TestModel.path else {
            print(TestModel.missingMessage)
            return
        }
        let url = TestModel.fixtures.appendingPathComponent("reference/smollm2-activations.json")
        let ref = try JSONDecoder().decode(Reference.self, from: Data(contentsOf: url))
        // Its own model: the tap is per instance.
        let m = try TransformerModel(file: GGUFFile(path: path), threads: 2)
        var seen: [String: String] = [:]
        m.tap = { name, layer, p, n in seen[layer < 0 ? name : "\(name)-\(layer)"] = Self.fingerprint(p, n) }
        let cache = m.makeCache()
        var compared = 0
        var differing: [String] = []
        for (s, step) in ref.steps.enumerated() {
            seen = [:]
            let logits = try m.forward([.init(cache: cache, tokens: step.tokens, allLogits: true)])[0]
            var expected: [(String, String)] = []
            for (l, layer) in step.layers.enumerated() {
                for name in Self.layerTensors { expected.append(("\(name)-\(l)", layer[name] ?? "")) }
            }
            expected.append(("result_norm", step.result_norm))
            seen["logits"] = logits.withUnsafeBufferPointer { Self.fingerprint($0.baseAddress!, $0.count) }
            expected.append(("logits", step.logits))
            for (key, want) in expected {
                compared += 1
                if seen[key] != want { differing.append("step \(s) \(key)") }
            }
        }
        print("activation fingerprints equal to llama.cpp: \(compared - differing.count)/\(compared)")
        #expect(compared == ref.steps.count * (30 * 12 + 2))
        #expect(differing.isEmpty, "first differing tensor: \(differing.first ?? ""), \(differing.count) in all")
    }
}
