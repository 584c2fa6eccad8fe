import Foundation
import Testing
@testable import TapirInference

/// Agreement with llama.cpp on the real SmolLM2 (issue 3's correctness target), using the
/// fixture written by scripts/reference/make_reference.py (llama-cpp-python built from source).
@Suite(.serialized) struct ReferenceAgreementTests {
    struct Reference: Decodable {
        struct Forced: Decodable {
            var tokens: [Int32]
            var top1: [Int32]
        }
        struct Greedy: Decodable {
            var prompt_tokens: [Int32]
            var generated: [Int32]
            /// Reference top-1 minus top-2 logit at each generated token.
            var margin: [Float]?
        }
        var teacher_forced: [Forced]
        var greedy: [Greedy]
    }

    func load() throws -> Reference? {
        let url = TestModel.fixtures.appendingPathComponent("reference/smollm2-reference.json")
        guard FileManager.default.fileExists(atPath: url.path) else { return nil }
        return try JSONDecoder().decode(Reference.self, from: Data(contentsOf: url))
    }

    func argmax(_ v: ArraySlice<Float>) -> Int32 {
        var best = v.startIndex
        for i in v.indices where v[i] > v[best] { best = i }
        return Int32(best - v.startIndex)
    }

    @Test func teacherForcedTop1Agreement() throws {
        guard let m = ModelForwardTests.model else {
            print(TestModel.missingMessage)
            return
        }
        guard let ref = try load() else {
            print("Fixtures/reference/smollm2-reference.json absent (scripts/reference/make_reference.py); skipping")
            return
        }
        var agree = 0, total = 0
        for f in ref.teacher_forced {
            let logits = try m.forward([.init(cache: m.makeCache(capacity: f.tokens.count), tokens: f.tokens, allLogits: true)])[0]
            let v = m.vocabularySize
            for p in 0..<min(f.top1.count, f.tokens.count) {
                total += 1
                if argmax(logits[(p * v)..<((p + 1) * v)]) == f.top1[p] { agree += 1 }
            }
        }
        print("teacher-forced top-1 agreement: \(agree)/\(total) = \(Double(agree) / Double(max(total, 1)))")
        #expect(total >= 2000)
        // tapir reproduces llama.cpp's arithmetic bit for bit (ActivationAgreementTests), so
        // every position agrees (measured 2663/2663); the issue-3 target is 99%.
        #expect(Double(agree) >= 0.99 * Double(total))
        #expect(agree == total, "a position lost means a numerics change: see ActivationAgreementTests")
    }

    @Test func greedyGenerationsMatch() async throws {
        guard let m = ModelForwardTests.model else {
            print(TestModel.missingMessage)
            return
        }
        guard let ref = try load() else {
            print("Fixtures/reference/smollm2-reference.json absent; skipping")
            return
        }
        let outputs = try await GreedyGeneration.run(
            m, prompts: ref.greedy.map(\.prompt_tokens), lengths: ref.greedy.map(\.generated.count), maxBatch: 16)
        var matching = 0
        for (i, (g, out)) in zip(ref.greedy, outputs).enumerated() {
            guard let d = zip(g.generated, out).enumerated().first(where: { $0.element.0 != $0.element.1 })?.offset else {
                matching += 1
                continue
            }
            let margin = g.margin.map { $0[d] } ?? .infinity
            print("greedy prompt \(i) diverges at token \(d) of \(g.generated.count): reference \(g.generated[d]), tapir \(out[d]), reference top-1/top-2 margin \(margin)")
        }
        print("greedy generations matching token for token: \(matching)/\(ref.greedy.count)")
        #expect(ref.greedy.count >= 10)
        // Measured: all 14 identical (single-token steps use llama.cpp's decode summation order).
        #expect(matching == ref.greedy.count)
    }
}
