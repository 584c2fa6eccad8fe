import Foundation
import Testing
@testable import TapirInference

/// The forward pass on the real SmolLM2 against scripts/quant-reference/reference_forward.py
/// (an independent numpy implementation over `gguf`-dequantised weights).
@Suite(.serialized) struct ModelForwardTests {
    struct Reference: Decodable {
        var tokens: [Int32]
        var top1: [Int32]
        var logits_positions: [Int]
        var top_ids: [[Int]]
        var top_logits: [[Float]]
    }

    static let model: TransformerModel? = {
        guard let path = TestModel.path, let file = try? GGUFFile(path: path) else { return nil }
        return try? TransformerModel(file: file, threads: 2)
    }()

    func reference() throws -> Reference {
        try JSONDecoder().decode(
            Reference.self,
            from: Data(contentsOf: TestModel.fixtures.appendingPathComponent("forward/smollm2-numpy.json")))
    }

    func argmax(_ v: ArraySlice<Float>) -> Int32 {
        var best = v.startIndex
        for i in v.indices where v[i] > v[best] { best = i }
        return Int32(best - v.startIndex)
    }

    @Test func matchesNumpyReference() throws {
        guard let model = Self.model else {
            print(TestModel.missingMessage)
            return
        }
        let ref = try reference()
        // int8 activations and a half-precision KV cache: logits stay within ~0.6 of float numpy.
        let cache = model.makeCache()
        let logits = try model.forward([.init(cache: cache, tokens: ref.tokens, allLogits: true)])[0]
        let v = model.vocabularySize
        var agree = 0
        for p in 0..<ref.tokens.count where argmax(logits[(p * v)..<((p + 1) * v)]) == ref.top1[p] { agree += 1 }
        #expect(agree * 10 >= ref.tokens.count * 9, "top-1 agreement \(agree)/\(ref.tokens.count)")
        for (k, p) in ref.logits_positions.enumerated() {
            for (id, value) in zip(ref.top_ids[k], ref.top_logits[k]) {
                #expect(abs(logits[p * v + id] - value) < 0.8, "position \(p) id \(id): \(logits[p * v + id]) vs \(value)")
            }
        }
    }

    /// How tokens are split into batches and which other sequences share a batch change
    /// nothing, bit for bit: a multi-token step sums attention in llama.cpp's GEMM order and a
    /// single-token step in its decode order, each per sequence. Between those two orders the
    /// logits differ slightly, as llama.cpp's own prefill and decode do.
    @Test func batchingDoesNotChangeResults() throws {
        guard let model = Self.model else {
            print(TestModel.missingMessage)
            return
        }
        let ref = try reference()
        let tokens = Array(ref.tokens.prefix(20))
        let other = Array(ref.tokens.suffix(8))
        let v = model.vocabularySize
        let whole = try model.forward([.init(cache: model.makeCache(), tokens: tokens)])[0]

        // The last 8 tokens as one step, in a batch with another sequence's 8.
        let a = model.makeCache()
        _ = try model.forward([.init(cache: a, tokens: Array(tokens.prefix(12)))])
        let split = try model.forward([
            .init(cache: model.makeCache(), tokens: other), .init(cache: a, tokens: Array(tokens.dropFirst(12))),
        ])[1]
        #expect(split == whole)

        // Token by token, alone and interleaved with another sequence.
        let alone = model.makeCache(), mixed = model.makeCache(), b = model.makeCache()
        _ = try model.forward([.init(cache: alone, tokens: Array(tokens.prefix(12)))])
        _ = try model.forward([.init(cache: mixed, tokens: Array(tokens.prefix(12)))])
        var lastAlone: [Float] = [], lastMixed: [Float] = []
        for (t, u) in zip(tokens.dropFirst(12), other) {
            lastAlone = try model.forward([.init(cache: alone, tokens: [t])])[0]
            lastMixed = try model.forward([.init(cache: b, tokens: [u]), .init(cache: mixed, tokens: [t])])[1]
        }
        #expect(mixed.count == 20 && b.count == 8)
        #expect(lastAlone.count == v)
        #expect(lastMixed == lastAlone)
        var maxDiff: Float = 0
        for i in 0..<v { maxDiff = max(maxDiff, abs(lastAlone[i] - whole[i])) }
        #expect(maxDiff < 1, "max logit difference \(maxDiff)")
        #expect(argmax(lastAlone[...]) == argmax(whole[...]))
    }

    @Test func refusesUnknownArchitecture() throws {
        var w = GGUFWriter()
        w.set("general.architecture", .string("mamba"))
        let file = try GGUFFile(bytes: w.bytes())
        #expect(throws: InferenceError.unsupportedArchitecture("mamba")) { try TransformerModel(file: file, threads: 1) }
    }
}
