import Foundation

/// Runs generation and scoring jobs on one model from a dedicated thread. Active sequences
/// decode together (one forward per step over every sequence's next token); new jobs are
/// admitted as soon as a slot frees up, their prompts processed in the same steps.
public final class BatchScheduler: @unchecked Sendable {
    public let model: TransformerModel
    /// Most sequences decoded together.
    public let maxBatch: Int
    /// Most prompt tokens of one sequence processed in one step.
    public let prefillChunk: Int

    private let condition = NSCondition()
    private var pending: [GenerationJob] = []
    private var scoreJobs: [ScoreJob] = []
    private var stopped = false
    private var thread: Thread?

    struct ScoreJob {
        var tokens: [Int32]
        var start: Int
        var cancellation: ScoreCancellation
        var finish: (Result<[Float], any Error>) -> Void
    }

    /// Set when the task that queued a score job is cancelled: the job is then skipped
    /// (fails with `CancellationError`) if the scheduler has not started it yet.
    final class ScoreCancellation: @unchecked Sendable {
        private let lock = NSLock()
        private var cancelled = false
        func cancel() { lock.withLock { cancelled = true } }
        var isCancelled: Bool { lock.withLock { cancelled } }
    }

    private final class Active {
        let job: GenerationJob
        let cache: KVCache
        var fed = 0
        var history: [Int32]
        var generated: [Int32] = []
        let admitted = Date()
        var firstToken: Date?
        init(job: GenerationJob, cache: KVCache) {
            self.job = job
            self.cache = cache
            history = job.prompt
        }
    }

    public init(model: TransformerModel, maxBatch: Int = 16, prefillChunk: Int = 256) {
        self.model = model
        self.maxBatch = max(1, maxBatch)
        self.prefillChunk = max(1, prefillChunk)
        // The thread holds the scheduler until `shutdown()` lets its loop end.
        let t = Thread { self.loop() }
        t.name = "tapir-inference"
        t.stackSize = 4 << 20
        thread = t
        t.start()
    }

    /// Queues a generation job.
    public func submit(_ job: GenerationJob) {
        condition.lock()
        if stopped {
            condition.unlock()
            job.onFinish(.failure(InferenceError.closed))
            return
        }
        pending.append(job)
        condition.signal()
        condition.unlock()
    }

    /// Log-probabilities of `tokens[start...]`, each given the tokens before it. Cancelling
    /// the calling task drops the job if it has not started (a started one runs to its end).
    public func logProbabilities(of tokens: [Int32], from start: Int) async throws -> [Float] {
        let cancellation = ScoreCancellation()
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { cont in
                condition.lock()
                if stopped {
                    condition.unlock()
                    cont.resume(throwing: InferenceError.closed)
                    return
                }
                scoreJobs.append(ScoreJob(tokens: tokens, start: start, cancellation: cancellation) { cont.resume(with: $0) })
                condition.signal()
                condition.unlock()
            }
        } onCancel: {
            cancellation.cancel()
        }
    }

    /// Stops the thread; queued jobs fail with `InferenceError.closed`.
    public func shutdown() {
        condition.lock()
        stopped = true
        condition.signal()
        condition.unlock()
    }

    private func loop() {
        var active: [Active] = []
        while true {
            condition.lock()
            while active.isEmpty && pending.isEmpty && scoreJobs.isEmpty && !stopped { condition.wait() }
            if stopped {
                let left = pending
                pending = []
                let scores = scoreJobs
                scoreJobs = []
                condition.unlock()
                for a in active { a.job.onFinish(.failure(InferenceError.closed)) }
                for j in left { j.onFinish(.failure(InferenceError.closed)) }
                for s in scores { s.finish(.failure(InferenceError.closed)) }
                return
            }
            let room = maxBatch - active.count
            let admitted = Array(pending.prefix(room))
            pending.removeFirst(admitted.count)
            let scores = scoreJobs
            scoreJobs = []
            condition.unlock()

            for s in scores {
                if s.cancellation.isCancelled {
                    s.finish(.failure(CancellationError()))
                } else {
                    s.finish(Result { try score(s.tokens, from: s.start) })
                }
            }
            for job in admitted {
                if job.prompt.isEmpty {
                    job.onFinish(.failure(InferenceError.emptyPrompt))
                } else if job.prompt.count + job.maxTokens > model.config.contextLength {
                    job.onFinish(.failure(InferenceError.contextOverflow(
                        tokens: job.prompt.count + job.maxTokens, limit: model.config.contextLength)))
                } else {
                    active.append(Active(job: job, cache: model.makeCache(capacity: job.prompt.count + min(job.maxTokens, 256))))
                }
            }
            active = step(active)
        }
    }

    /// One forward over every active sequence; returns those still running.
    private func step(_ active: [Active]) -> [Active] {
        var running: [Active] = []
        for a in active {
            if a.job.isCancelled { finish(a, .cancelled) } else { running.append(a) }
        }
        guard !running.isEmpty else { return [] }
        // Every running sequence has unfed tokens: the rest of its prompt or its last token.
        let items: [TransformerModel.Item] = running.map { a in
            let end = min(a.history.count, a.fed + prefillChunk)
            return .init(cache: a.cache, tokens: Array(a.history[a.fed..<end]))
        }
        let logits: [[Float]]
        do {
            logits = try model.forward(items)
        } catch {
            for a in running { a.job.onFinish(.failure(error)) }
            return []
        }
        return advance(running, items: items, logits: logits)
    }

    private func advance(_ running: [Active], items: [TransformerModel.Item], logits: [[Float]]) -> [Active] {
        var keep: [Active] = []
        for (i, a) in running.enumerated() {
            a.fed = a.cache.count
            guard a.fed == a.history.count else {
                keep.append(a)  // prompt not finished yet
                continue
            }
            var row = logits[i]
            let token = row.withUnsafeMutableBufferPointer { a.job.chooser.choose(logits: $0, history: a.history) }
            if a.firstToken == nil { a.firstToken = Date() }
            if a.job.stopTokens.contains(token) {
                finish(a, .endOfSequence)
                continue
            }
            a.generated.append(token)
            a.history.append(token)
            if !a.job.onToken(token) {
                finish(a, .stopped)
            } else if a.job.isCancelled {
                finish(a, .cancelled)
            } else if a.generated.count >= a.job.maxTokens {
                finish(a, .length)
            } else {
                keep.append(a)
            }
        }
        return keep
    }

    private func finish(_ a: Active, _ reason: GenerationSummary.Reason) {
        let now = Date()
        let first = a.firstToken ?? now
        a.job.onFinish(.success(GenerationSummary(
            reason: reason, promptTokens: a.job.prompt.count, generatedTokens: a.generated,
            prefillSeconds: first.timeIntervalSince(a.admitted), decodeSeconds: now.timeIntervalSince(first))))
    }

    private func score(_ tokens: [Int32], from start: Int) throws -> [Float] {
        guard start >= 1, start <= tokens.count else { throw InferenceError.emptyPrompt }
        guard tokens.count <= model.config.contextLength else {
            throw InferenceError.contextOverflow(tokens: tokens.count, limit: model.config.contextLength)
        }
        let cache = model.makeCache(capacity: tokens.count)
        let v = model.vocabularySize
        var out: [Float] = []
        var pos = 0
        // Chunks keep the scratch buffers bounded; logits are needed from position start-1 on.
        while pos < tokens.count - 1 {
            let end = min(tokens.count - 1, pos + prefillChunk)
            let chunk = Array(tokens[pos..<end])
            let logits = try model.forward([.init(cache: cache, tokens: chunk, allLogits: true)])[0]
            for j in 0..<chunk.count {
                let p = pos + j  // logits at p predict tokens[p + 1]
                guard p + 1 >= start else { continue }
                out.append(Self.logSoftmax(logits, row: j, width: v, at: Int(tokens[p + 1])))
            }
            pos = end
        }
        return out
    }

    static func logSoftmax(_ logits: [Float], row: Int, width: Int, at index: Int) -> Float {
        logits.withUnsafeBufferPointer { p in
            let r = p.baseAddress! + row * width
            var mx = -Float.infinity
            for i in 0..<width { mx = max(mx, r[i]) }
            var sum: Double = 0
            for i in 0..<width { sum += Double(Foundation.exp(r[i] - mx)) }
            return r[index] - mx - Float(Foundation.log(sum))
        }
    }
}
