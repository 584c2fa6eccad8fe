import Foundation
import TapirCore
import Testing
@testable import TapirInference

/// The text-level model: chat completion, stop strings, concurrency and likelihood scoring.
@Suite(.serialized) struct LocalModelTests {
    static let local: LocalModel? = TestModel.path.flatMap { try? LocalModel(path: $0, threads: 2, maxBatch: 4) }

    @Test func greedyCompletionIsDeterministicAndRespectsMaxTokens() async throws {
        guard let m = Self.local else {
            print(TestModel.missingMessage)
            return
        }
        let req = ChatRequest(
            messages: [ChatMessage(role: .user, content: "Name a colour.")],
            sampling: SamplingParameters(temperature: 0, maxTokens: 8))
        let a = try await m.complete(req)
        let b = try await m.complete(req)
        #expect(a.text == b.text)
        #expect(a.usage.completionTokens <= 8 && a.usage.promptTokens > 10)
        #expect(a.finishReason == .length || a.finishReason == .stop)
        #expect(a.model == TestModel.fileName)
    }

    @Test func concurrentCallsAreBatchedAndMatchSoloCalls() async throws {
        guard let m = Self.local else {
            print(TestModel.missingMessage)
            return
        }
        let prompts = ["Say hello.", "What is 2+2?", "Name a fruit.", "Write one word.", "Count to three."]
        func req(_ p: String) -> ChatRequest {
            ChatRequest(messages: [ChatMessage(role: .user, content: p)], sampling: SamplingParameters(temperature: 0, maxTokens: 6))
        }
        var solo: [String] = []
        for p in prompts { solo.append(try await m.complete(req(p)).text) }
        let together = try await withThrowingTaskGroup(of: (Int, String).self) { g in
            for (i, p) in prompts.enumerated() { g.addTask { (i, try await m.complete(req(p)).text) } }
            var out = [String](repeating: "", count: prompts.count)
            for try await (i, t) in g { out[i] = t }
            return out
        }
        #expect(together == solo)
    }

    @Test func stopStringEndsReplyBeforeIt() async throws {
        guard let m = Self.local else {
            print(TestModel.missingMessage)
            return
        }
        let base = ChatRequest(
            messages: [ChatMessage(role: .user, content: "Write a sentence about the sea.")],
            sampling: SamplingParameters(temperature: 0, maxTokens: 12))
        let full = try await m.complete(base).text
        let words = full.split(separator: " ")
        guard words.count >= 3 else { return }
        let stop = String(words[2])
        var req = base
        req.sampling.stop = [stop]
        let cut = try await m.complete(req)
        #expect(!cut.text.contains(stop))
        #expect(full.hasPrefix(cut.text))
        #expect(cut.finishReason == .stop)
    }

    @Test func cancellationThrows() async throws {
        guard let m = Self.local else {
            print(TestModel.missingMessage)
            return
        }
        let task = Task {
            try await m.complete(ChatRequest(
                messages: [ChatMessage(role: .user, content: "Tell a long story.")],
                sampling: SamplingParameters(temperature: 0, maxTokens: 400)))
        }
        try await Task.sleep(nanoseconds: 300_000_000)
        task.cancel()
        await #expect(throws: CancellationError.self) { try await task.value }
    }

    @Test func likelihoodPrefersTheRightAnswer() async throws {
        guard let m = Self.local else {
            print(TestModel.missingMessage)
            return
        }
        let q = [ChatMessage(role: .user, content: "What is the capital of France?")]
        let good = try await m.likelihood(of: "The capital of France is Paris.", after: q)
        let bad = try await m.likelihood(of: "Bananas orbit the purple dishwasher.", after: q)
        #expect(good.tokenCount > 3)
        #expect(good.meanNLL < bad.meanNLL)
        #expect(good.perplexity > 1 && good.ifd > 0)
        // The question makes the right answer more likely than it is alone.
        #expect(good.ifd < 1)
    }
}
