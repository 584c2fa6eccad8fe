import Foundation
import Synchronization
import Testing
@testable import TapirInference

/// Generation and scoring on token ids with the real SmolLM2 (no tokenizer needed).
@Suite(.serialized) struct BatchSchedulerTests {
    static var model: TransformerModel? { ModelForwardTests.model }

    final class Collector: @unchecked Sendable {
        let tokens = Mutex<[Int32]>([])
    }

    func run(_ s: BatchScheduler, prompt: [Int32], max: Int, stop: Set<Int32> = [], stopAfter: Int? = nil,
             collector: Collector = Collector(), job: ((GenerationJob) -> Void)? = nil) async throws -> GenerationSummary {
        try await withCheckedThrowingContinuation { cont in
            let j = GenerationJob(
                prompt: prompt, maxTokens: max, stopTokens: stop, chooser: GreedyChooser(),
                onToken: { t in
                    let n = collector.tokens.withLock { $0.append(t); return $0.count }
                    return stopAfter.map { n < $0 } ?? true
                },
                onFinish: { cont.resume(with: $0) })
            job?(j)
            s.submit(j)
        }
    }

    func greedyByHand(_ m: TransformerModel, _ prompt: [Int32], _ n: Int) throws -> [Int32] {
        let cache = m.makeCache()
        var logits = try m.forward([.init(cache: cache, tokens: prompt)])[0]
        var out: [Int32] = []
        for _ in 0..<n {
            let t = logits.withUnsafeMutableBufferPointer { GreedyChooser().choose(logits: $0, history: []) }
            out.append(t)
            logits = try m.forward([.init(cache: cache, tokens: [t])])[0]
        }
        return out
    }

    @Test func concurrentJobsMatchSoloGreedy() async throws {
        guard let m = Self.model else {
            print(TestModel.missingMessage)
            return
        }
        let prompts: [[Int32]] = [[1, 504, 3458, 282], [1, 1782, 314, 253, 1345, 30, 216], [1, 9, 10, 11, 12, 13]]
        let expected = try prompts.map { try greedyByHand(m, $0, 6) }
        // Two slots for three jobs: the third is admitted when one finishes.
        let s = BatchScheduler(model: m, maxBatch: 2, prefillChunk: 3)
        defer { s.shutdown() }
        let results = try await withThrowingTaskGroup(of: (Int, [Int32]).self) { group in
            for (i, p) in prompts.enumerated() {
                group.addTask {
                    let c = Collector()
                    let sum = try await run(s, prompt: p, max: 6, collector: c)
                    #expect(sum.reason == .length)
                    #expect(sum.generatedTokens == c.tokens.withLock { $0 })
                    return (i, sum.generatedTokens)
                }
            }
            var out = [[Int32]](repeating: [], count: prompts.count)
            for try await (i, t) in group { out[i] = t }
            return out
        }
        #expect(results == expected)
    }

    @Test func stopTokenStopStringAndCancel() async throws {
        guard let m = Self.model else {
            print(TestModel.missingMessage)
            return
        }
        let prompt: [Int32] = [1, 504, 3458, 282]
        let expected = try greedyByHand(m, prompt, 4)
        let s = BatchScheduler(model: m)
        defer { s.shutdown() }
        let byStopToken = try await run(s, prompt: prompt, max: 10, stop: [expected[2]])
        #expect(byStopToken.reason == .endOfSequence && byStopToken.generatedTokens == Array(expected.prefix(2)))
        let byCallback = try await run(s, prompt: prompt, max: 10, stopAfter: 3)
        #expect(byCallback.reason == .stopped && byCallback.generatedTokens == Array(expected.prefix(3)))
        let cancelled = try await run(s, prompt: prompt, max: 1000) { $0.cancel() }
        #expect(cancelled.reason == .cancelled)
        #expect(cancelled.generatedTokens.count < 1000)
    }

    /// A short prompt scored from position 5 by the scoring tests.
    static let scoredTokens: [Int32] = [1, 504, 3458, 282, 253, 1345, 30, 216, 9, 10]

    @Test func scoringMatchesForwardLogits() async throws {
        guard let m = Self.model else {
            print(TestModel.missingMessage)
            return
        }
        let tokens = Self.scoredTokens
        let s = BatchScheduler(model: m, prefillChunk: 4)
        defer { s.shutdown() }
        let lp = try await s.logProbabilities(of: tokens, from: 5)
        #expect(lp.count == 5)
        let logits = try m.forward([.init(cache: m.makeCache(), tokens: tokens, allLogits: true)])[0]
        let v = m.vocabularySize
        for (k, p) in (5..<tokens.count).enumerated() {
            let want = BatchScheduler.logSoftmax(logits, row: p - 1, width: v, at: Int(tokens[p]))
            #expect(abs(lp[k] - want) < 1e-3, "position \(p): \(lp[k]) vs \(want)")
            #expect(lp[k] <= 0)
        }
        await #expect(throws: InferenceError.self) { try await s.logProbabilities(of: tokens, from: 0) }
    }

    /// A score job whose task was cancelled before the scheduler reached it is skipped:
    /// stopping a likelihood stage does not wait for the queue to drain.
    @Test func aCancelledScoreJobIsSkipped() async throws {
        guard let m = Self.model else {
            print(TestModel.missingMessage)
            return
        }
        let tokens = Self.scoredTokens
        let s = BatchScheduler(model: m, prefillChunk: 4)
        defer { s.shutdown() }
        let cancelled = Task { () async throws -> [Float] in
            while !Task.isCancelled { await Task.yield() }
            return try await s.logProbabilities(of: tokens, from: 5)
        }
        cancelled.cancel()
        await #expect(throws: CancellationError.self) { try await cancelled.value }
        // The scheduler still scores the next job.
        #expect(try await s.logProbabilities(of: tokens, from: 5).count == 5)
    }

    @Test func shutdownFailsQueuedWork() async throws {
        guard let m = Self.model else {
            print(TestModel.missingMessage)
            return
        }
        let s = BatchScheduler(model: m)
        s.shutdown()
        await #expect(throws: InferenceError.closed) { try await run(s, prompt: [1, 2], max: 3) }
    }
}
