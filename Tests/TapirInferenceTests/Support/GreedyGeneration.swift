@testable import TapirInference

/// Greedy generation of several prompts at once through a `BatchScheduler`, as the reference
/// tests compare it with llama.cpp: no stop tokens, exactly `lengths[i]` tokens for prompt i.
enum GreedyGeneration {
    static func run(_ model: TransformerModel, prompts: [[Int32]], lengths: [Int], maxBatch: Int) async throws -> [[Int32]] {
        let s = BatchScheduler(model: model, maxBatch: maxBatch)
        defer { s.shutdown() }
        return try await withThrowingTaskGroup(of: (Int, [Int32]).self) { group in
            for (i, (prompt, length)) in zip(prompts, lengths).enumerated() {
                group.addTask {
                    let sum: GenerationSummary = try await withCheckedThrowingContinuation { cont in
                        s.submit(GenerationJob(
                            prompt: prompt, maxTokens: length, stopTokens: [],
                            chooser: GreedyChooser(), onToken: { _ in true }, onFinish: { cont.resume(with: $0) }))
                    }
                    return (i, sum.generatedTokens)
                }
            }
            var out = [[Int32]](repeating: [], count: prompts.count)
            for try await (i, tokens) in group { out[i] = tokens }
            return out
        }
    }
}
