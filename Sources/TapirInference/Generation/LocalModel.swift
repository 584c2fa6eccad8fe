import Foundation
import TapirCore

extension Sampler: TokenChooser {
    public mutating func choose(logits: UnsafeMutableBufferPointer<Float>, history: [Int32]) -> Int32 {
        sample(logits: logits, history: history)
    }
}

/// The native in-process model: a GGUF llama/qwen2 model with its tokenizer and chat
/// template, served by a `BatchScheduler` so concurrent `complete` calls decode together.
public final class LocalModel: ChatModel, LikelihoodScorer, @unchecked Sendable {
    public let name: String
    public let tokenizer: Tokenizer
    public let template: ChatTemplate
    public let model: TransformerModel
    public let scheduler: BatchScheduler
    /// Reply length when a request sets no `maxTokens`.
    public var defaultMaxTokens = 512

    /// Loads the GGUF at `path` with `threads` matmul threads, decoding up to `maxBatch`
    /// sequences together.
    public init(path: String, threads: Int = 2, maxBatch: Int = 16) throws {
        let file = try GGUFFile(path: path)
        model = try TransformerModel(file: file, threads: threads)
        tokenizer = try Tokenizer(metadata: file.metadata)
        template = ChatTemplate(metadata: file.metadata)
        scheduler = BatchScheduler(model: model, maxBatch: maxBatch)
        name = URL(fileURLWithPath: path).lastPathComponent
    }

    deinit { scheduler.shutdown() }

    /// Prompt tokens for a chat (`raw`: the first message's content as is, no template).
    public func promptTokens(for messages: [ChatMessage], raw: Bool = false) -> [Int32] {
        if raw { return tokenizer.encode(messages.map(\.content).joined(separator: "\n"), addSpecial: true) }
        return tokenizer.encode(template.render(messages, addGenerationPrompt: true), addSpecial: true)
    }

    public func complete(_ request: ChatRequest) async throws -> ChatResponse {
        try await generate(request, raw: false) { _ in }.response
    }

    /// Generates a reply, calling `onText` with each new piece of text as it is decoded.
    /// Returns the response and the generation timings.
    public func generate(
        _ request: ChatRequest, raw: Bool, onText: @escaping @Sendable (String) -> Void
    ) async throws -> (response: ChatResponse, summary: GenerationSummary) {
        let started = Date()
        let prompt = promptTokens(for: request.messages, raw: raw)
        guard !prompt.isEmpty else { throw InferenceError.emptyPrompt }
        let s = request.sampling
        let stops = (s.stop + (raw ? [] : template.stopStrings)).filter { !$0.isEmpty }
        let state = StreamState(tokenizer: tokenizer, stops: stops, onText: onText)
        let maxTokens = max(1, min(s.maxTokens ?? defaultMaxTokens, model.config.contextLength - prompt.count))
        let summary: GenerationSummary = try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (cont: CheckedContinuation<GenerationSummary, any Error>) in
                let job = GenerationJob(
                    prompt: prompt, maxTokens: maxTokens, stopTokens: tokenizer.eosIDs,
                    chooser: Sampler(s),
                    onToken: { state.add($0) },
                    onFinish: { cont.resume(with: $0) })
                state.job = job
                if Task.isCancelled { job.cancel() }
                scheduler.submit(job)
            }
        } onCancel: {
            state.job?.cancel()
        }
        if summary.reason == .cancelled { throw CancellationError() }
        let text = state.finish()
        let reason: FinishReason = summary.reason == .length ? .length : .stop
        let response = ChatResponse(
            text: text, usage: TokenUsage(promptTokens: prompt.count, completionTokens: summary.generatedTokens.count),
            finishReason: reason, latency: Date().timeIntervalSince(started), model: name)
        return (response, summary)
    }

    public func likelihood(of response: String, after messages: [ChatMessage]) async throws -> ResponseLikelihood {
        let prompt = tokenizer.encode(template.render(messages, addGenerationPrompt: true), addSpecial: true)
        let reply = tokenizer.encode(response, addSpecial: false)
        guard !reply.isEmpty else { throw InferenceError.emptyPrompt }
        let conditional = try await scheduler.logProbabilities(of: prompt + reply, from: prompt.count)
        // Unconditional: the reply after BOS, or (without BOS) after its own first token.
        let bare: [Int32] = tokenizer.bos.map { [$0] + reply } ?? reply
        let start = tokenizer.bos == nil ? 1 : 1
        let unconditional = bare.count > start
            ? try await scheduler.logProbabilities(of: bare, from: start) : []
        func meanNLL(_ lp: [Float]) -> Double { lp.isEmpty ? 0 : -lp.reduce(0) { $0 + Double($1) } / Double(lp.count) }
        return ResponseLikelihood(
            tokenCount: reply.count, meanNLL: meanNLL(conditional), unconditionalMeanNLL: meanNLL(unconditional))
    }
}

/// Decoded text of one generation: applies stop strings and streams only text that can no
/// longer become part of a stop string. Used on the scheduler thread only.
final class StreamState: @unchecked Sendable {
    let tokenizer: Tokenizer
    let stops: [String]
    let onText: @Sendable (String) -> Void
    var job: GenerationJob?
    private var decoder = TextStreamDecoder()
    private var text = ""
    private var emitted = 0  // characters of `text` already streamed
    private var hitStop = false
    private let holdBack: Int

    init(tokenizer: Tokenizer, stops: [String], onText: @escaping @Sendable (String) -> Void) {
        self.tokenizer = tokenizer
        self.stops = stops
        self.onText = onText
        holdBack = max(0, (stops.map(\.count).max() ?? 0) - 1)
    }

    /// Adds a token; false when a stop string was reached.
    func add(_ token: Int32) -> Bool {
        text += decoder.append(tokenizer.tokenBytes(token))
        for s in stops {
            if let r = text.range(of: s) {
                text = String(text[..<r.lowerBound])
                hitStop = true
                flush(all: true)
                return false
            }
        }
        flush(all: false)
        return true
    }

    private func flush(all: Bool) {
        let safe = all ? text.count : text.count - holdBack
        if safe > emitted {
            let start = text.index(text.startIndex, offsetBy: emitted), end = text.index(text.startIndex, offsetBy: safe)
            onText(String(text[start..<end]))
            emitted = safe
        }
    }

    /// The final text (rest of the stream flushed).
    func finish() -> String {
        if !hitStop { text += decoder.finish() }
        flush(all: true)
        return text
    }
}
