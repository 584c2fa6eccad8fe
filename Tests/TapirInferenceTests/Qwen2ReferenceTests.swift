import Foundation
import Testing
@testable import TapirInference

/// Architecture `qwen2` (q/k/v biases, NeoX RoPE, GQA, separate output matrix, F32/F16/Q8_0/
/// Q4_0/Q4_1 weights) against llama.cpp on a tiny random model. Both files are written by
/// scripts/reference/make_tiny_qwen2.py (llama-cpp-python built from source).
@Suite(.serialized) struct Qwen2ReferenceTests {
    struct Reference: Decodable {
        struct Forced: Decodable {
            var tokens: [Int32]
            var argmax: [Int32]
            var logits: [[Float]]
        }
        struct Greedy: Decodable {
            var prompt_tokens: [Int32]
            var generated: [Int32]
        }
        struct Tokenized: Decodable {
            var text: String
            var ids: [Int32]
        }
        var n_vocab: Int
        var teacher_forced: [Forced]
        var greedy: [Greedy]
        var tokenizer: [Tokenized]
    }

    /// Largest absolute logit difference allowed: none. For F32, Q8_0 and Q4_1 weights tapir
    /// reproduces llama.cpp's x86 AVX-512 arithmetic bit for bit (README, "Native inference
    /// agreement"), and the qwen2 additions — q/k/v biases, NeoX RoPE, GQA — are plain adds
    /// and rotations done in the same order, so any difference is a change in numerics.
    /// (Measured: 0.0 over 114 positions. A wrong bias, RoPE layout or head mapping moves
    /// logits by whole units; one flipped int8 activation quant by ~1e-3.)
    static let tolerance: Float = 0
    /// Q4_1/Q8_0 weights; Q4_0 (ggml's repacked order), F16 and F32 weights; an F16 output
    /// matrix of 274 rows (not a multiple of 4: llama.cpp's batches then take the one-token order).
    static let fixtures = ["qwen2-tiny", "qwen2-tiny-q4_0-f16", "qwen2-tiny-f16-output"]

    static let modelPath = TestModel.fixtures.appendingPathComponent("tiny/qwen2-tiny.gguf").path

    /// The model and llama.cpp's outputs for fixture `stem` (one of `fixtures`).
    func load(_ stem: String = "qwen2-tiny") throws -> (TransformerModel, Reference) {
        let file = try GGUFFile(path: TestModel.fixtures.appendingPathComponent("tiny/\(stem).gguf").path)
        let model = try TransformerModel(file: file, threads: 2)
        let url = TestModel.fixtures.appendingPathComponent("reference/\(stem)-reference.json")
        let ref = try JSONDecoder().decode(Reference.self, from: Data(contentsOf: url))
        return (model, ref)
    }

    func argmax(_ v: ArraySlice<Float>) -> Int32 {
        var best = v.startIndex
        for i in v.indices where v[i] > v[best] { best = i }
        return Int32(best - v.startIndex)
    }

    @Test func configurationFromMetadata() throws {
        let (m, ref) = try load()
        let c = m.config
        #expect(c.architecture == .qwen2)
        #expect(c.layerCount == 2 && c.embeddingLength == 64 && c.feedForwardLength == 128)
        #expect(c.headCount == 4 && c.kvHeadCount == 2 && c.headDimension == 16 && c.contextLength == 128)
        #expect(c.ropeFrequencyBase == 1_000_000 && c.rmsEpsilon == 1e-6)
        #expect(m.vocabularySize == ref.n_vocab)
        #expect(m.layers.allSatisfy { $0.qBias != nil && $0.kBias != nil && $0.vBias != nil })
    }

    /// Every position's logits of every reference sequence: (positions whose argmax agrees,
    /// positions, largest absolute logit difference).
    func teacherForced(_ m: TransformerModel, _ ref: Reference) throws -> (agree: Int, total: Int, maxDiff: Float) {
        let v = m.vocabularySize
        var maxDiff: Float = 0, agree = 0, total = 0
        for f in ref.teacher_forced {
            let logits = try m.forward([.init(cache: m.makeCache(capacity: f.tokens.count), tokens: f.tokens, allLogits: true)])[0]
            #expect(logits.count == f.tokens.count * v)
            for p in 0..<f.tokens.count {
                let row = logits[(p * v)..<((p + 1) * v)]
                total += 1
                if argmax(row) == f.argmax[p] { agree += 1 }
                for (i, x) in f.logits[p].enumerated() { maxDiff = max(maxDiff, abs(row[p * v + i] - x)) }
            }
        }
        return (agree, total, maxDiff)
    }

    @Test(arguments: Self.fixtures)
    func teacherForcedLogitsMatchLlamaCpp(stem: String) throws {
        let (m, ref) = try load(stem)
        let (agree, total, maxDiff) = try teacherForced(m, ref)
        print("\(stem): argmax agreement \(agree)/\(total), max |logit - llama.cpp| = \(maxDiff)")
        #expect(total == ref.teacher_forced.reduce(0) { $0 + $1.tokens.count })
        #expect(agree == total)
        #expect(maxDiff <= Self.tolerance, "max logit difference \(maxDiff)")
    }

    /// Prefill in one batch, then one token at a time through the KV cache: the same logits.
    @Test(arguments: Self.fixtures)
    func incrementalDecodingMatchesBatch(stem: String) throws {
        let (m, ref) = try load(stem)
        let v = m.vocabularySize
        let f = ref.teacher_forced.max { $0.tokens.count < $1.tokens.count }!
        let cache = m.makeCache(capacity: f.tokens.count)
        let split = f.tokens.count / 3
        var maxDiff: Float = 0
        _ = try m.forward([.init(cache: cache, tokens: Array(f.tokens[..<split]))])
        for p in split..<f.tokens.count {
            let logits = try m.forward([.init(cache: cache, tokens: [f.tokens[p]])])[0]
            #expect(argmax(logits[...]) == f.argmax[p])
            for i in 0..<v { maxDiff = max(maxDiff, abs(logits[i] - f.logits[p][i])) }
        }
        #expect(maxDiff <= Self.tolerance, "max logit difference \(maxDiff)")
    }

    @Test(arguments: Self.fixtures)
    func greedyContinuationsMatchLlamaCpp(stem: String) async throws {
        let (m, ref) = try load(stem)
        let outputs = try await GreedyGeneration.run(
            m, prompts: ref.greedy.map(\.prompt_tokens), lengths: ref.greedy.map(\.generated.count), maxBatch: 4)
        #expect(!ref.greedy.isEmpty)
        for (g, got) in zip(ref.greedy, outputs) { #expect(got == g.generated) }
    }

    @Test func tokenizerMatchesLlamaCpp() throws {
        let file = try GGUFFile(path: Self.modelPath)
        let tok = try Tokenizer(metadata: file.metadata)
        let ref = try load().1
        for t in ref.tokenizer {
            let ids = tok.encode(t.text, addSpecial: false, parseSpecial: true)
            #expect(ids == t.ids, "\(t.text.debugDescription)")
            #expect(tok.decode(ids, renderSpecial: true) == t.text)
        }
    }

    @Test func unknownArchitectureIsRefusedByName() throws {
        var w = GGUFWriter()
        w.set("general.architecture", .string("qwen3moe"))
        let file = try GGUFFile(bytes: w.bytes())
        do {
            _ = try TransformerModel(file: file, threads: 1)
            Issue.record("an unknown architecture was accepted")
        } catch let e as InferenceError {
            #expect(e == .unsupportedArchitecture("qwen3moe"))
            #expect(e.description == "model architecture 'qwen3moe' is not supported (supported: llama, qwen2)")
        }
    }
}
