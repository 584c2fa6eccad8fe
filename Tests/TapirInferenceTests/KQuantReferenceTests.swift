import Foundation
import Testing
@testable import TapirInference

/// A tiny `qwen2` model quantised by llama.cpp's `llama-quantize` to Q4_K_M (Q4_K and Q6_K
/// matrices) against llama.cpp's own logits; both files come from
/// scripts/reference/make_tiny_kquant.py. The Q4_K matrices cover both of ggml's x86 paths
/// (row counts that are multiples of 8 go through its repacked GEMV/GEMM, the 274-row output
/// matrix through its plain dot), and the 48-token sequence both the GEMM and the GEMV order
/// within one batch.
@Suite(.serialized) struct KQuantReferenceTests {
    static let stem = "qwen2-tiny-q4_k_m"
    /// Largest absolute logit difference allowed: none. Q4_K and Q6_K products follow ggml's
    /// x86 kernels step for step (exact integer block sums, then its FMA order), so any
    /// difference is a change in numerics.
    static let tolerance: Float = 0

    let base = Qwen2ReferenceTests()

    @Test func fixtureHoldsQ4KAndQ6KMatrices() throws {
        let (m, _) = try base.load(Self.stem)
        let types = m.layers.flatMap { [$0.q.type, $0.k.type, $0.v.type, $0.o.type, $0.gate.type, $0.up.type, $0.down.type] }
        #expect(types.contains(.q4_K) && types.contains(.q6_K))
        #expect(m.output.type == .q4_K && m.output.rows % 8 != 0)
        #expect(m.config.embeddingLength == 256 && m.config.feedForwardLength == 256)
    }

    @Test func teacherForcedLogitsMatchLlamaCpp() throws {
        let (m, ref) = try base.load(Self.stem)
        let (agree, total, maxDiff) = try base.teacherForced(m, ref)
        print("\(Self.stem): argmax agreement \(agree)/\(total), max |logit - llama.cpp| = \(maxDiff)")
        #expect(total == ref.teacher_forced.reduce(0) { $0 + $1.tokens.count })
        #expect(agree == total)
        #expect(maxDiff <= Self.tolerance, "max logit difference \(maxDiff)")
    }

    struct Incremental: Decodable {
        var tokens: [Int32]
        var split: Int
        var logits: [[Float]]
    }
    struct IncrementalReference: Decodable { var incremental: Incremental }

    /// Prefill in one batch, then one token at a time through the KV cache: llama.cpp's logits
    /// for the same steps (one token goes through other ggml kernels than a batch, so these are
    /// its own reference, not the teacher-forced logits).
    @Test func incrementalDecodingMatchesLlamaCpp() throws {
        let (m, _) = try base.load(Self.stem)
        let url = TestModel.fixtures.appendingPathComponent("reference/\(Self.stem)-reference.json")
        let inc = try JSONDecoder().decode(IncrementalReference.self, from: Data(contentsOf: url)).incremental
        let cache = m.makeCache(capacity: inc.tokens.count)
        var maxDiff: Float = 0
        _ = try m.forward([.init(cache: cache, tokens: Array(inc.tokens[..<inc.split]))])
        #expect(inc.logits.count == inc.tokens.count - inc.split)
        for (p, want) in zip(inc.split..<inc.tokens.count, inc.logits) {
            let logits = try m.forward([.init(cache: cache, tokens: [inc.tokens[p]])])[0]
            #expect(logits.count == want.count)
            for (x, y) in zip(logits, want) { maxDiff = max(maxDiff, abs(x - y)) }
        }
        #expect(maxDiff <= Self.tolerance, "max logit difference \(maxDiff)")
    }

    @Test func greedyContinuationsMatchLlamaCpp() async throws {
        let (m, ref) = try base.load(Self.stem)
        let outputs = try await GreedyGeneration.run(
            m, prompts: ref.greedy.map(\.prompt_tokens), lengths: ref.greedy.map(\.generated.count), maxBatch: 4)
        #expect(!ref.greedy.isEmpty)
        for (g, got) in zip(ref.greedy, outputs) { #expect(got == g.generated) }
    }
}
