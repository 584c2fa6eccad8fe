import Foundation
import TapirCore
import TapirLLM
import TapirStore

/// The *evaluate* stage: on the eval split, the student answers each instruction (unless it
/// already has a student answer of this round) and the judge compares that answer with the
/// reference (the teacher/dataset response) with the `evaluate` template in both orders.
/// The student's mean score against the reference's decides win, tie or loss (ties count
/// half in the win rate). Results go to `evaluations`; the round is finished with its
/// overall win rate and metrics `win_rate:<Category>` per category plus `eval_count`.
///
/// Runs on `InstructionWorkLoop`: a comparison whose model call fails (student or judge,
/// after the client's retries) is recorded as an error event naming the instruction and the
/// others go on. The stage then fails (`StageItemFailures`, whose message gives how many
/// comparisons failed and the win rate over those that succeeded); the round keeps those
/// rates in its metrics (with `eval_failed`) but stays unfinished, and a rerun compares
/// exactly the failed ones. A student answer is stored as soon as it arrives.
public struct EvaluateStage: StageRunner {
    public let stage = Stage.evaluate
    /// Sampling for the student's answers (nil: the student role's temperature and
    /// `max_tokens`, as in the answer stage) and the judge's verdicts.
    public var studentSampling: SamplingParameters?
    public var judgeSampling: SamplingParameters

    public init(
        studentSampling: SamplingParameters? = nil,
        judgeSampling: SamplingParameters = SamplingParameters(temperature: 0, maxTokens: 256)
    ) {
        self.studentSampling = studentSampling
        self.judgeSampling = judgeSampling
    }

    public func run(round: Int, context: EngineContext) async throws -> StageOutcome {
        guard let judge = context.models.judge else {
            return .skipped(reason: "no judge (roles.judge is null): add a judge role to measure win rates")
        }
        let store = context.store
        let (evalIDs, referenced, evaluated) = try await store.read { reader in
            let ids = try reader.instructionIDs(.activeEval)
            let references = try reader.teacherResponses(instructionIDs: ids, upToRound: round)
            return (ids, ids.filter { references[$0] != nil }, Set(try reader.evaluations(round: round).map(\.instructionID)))
        }
        guard !evalIDs.isEmpty else {
            try await record(round: round, store: store, failed: 0, finish: true)
            return .skipped(reason: "no eval-split instructions")
        }
        // Only instructions with a reference can be compared: the others are neither work
        // nor progress (the summary counts them).
        let withoutReference = evalIDs.count - referenced.count
        let pending = referenced.filter { !evaluated.contains($0) }
        let total = referenced.count
        try await store.write { try $0.updateProgress(round: round, stage: .evaluate, done: total - pending.count, total: total) }
        let unanswerable = ProgressCounter(done: 0)
        let unparseable = ProgressCounter(done: 0)
        let prompts = context.prompts
        let student = try await context.students.student(forRound: round, context: context).chat
        let studentSampling = studentSampling ?? context.config.roles.student.sampling
        let judgeSampling = judgeSampling
        let loop = InstructionWorkLoop(store: store, stage: .evaluate, round: round, limit: context.concurrency)
        do {
            _ = try await loop.run(
                ids: pending, alreadyDone: total - pending.count, total: total,
                work: { id -> Comparison? in
                    let loaded: (InstructionRecord, ResponseRecord?, ResponseRecord?)? = try await store.read { reader in
                        guard let instruction = try reader.instruction(id: id) else { return nil }
                        return (instruction, try reader.teacherResponse(instructionID: id, upToRound: round),
                                try reader.response(instructionID: id, role: .student, round: round))
                    }
                    guard let (instruction, reference, existing) = loaded, let reference else {
                        _ = await unanswerable.increment()
                        return nil
                    }
                    let question = TrainingExample(instruction: instruction.text, input: instruction.input, output: "").prompt
                    var answer = existing
                    if answer == nil {
                        guard let student else {
                            _ = await unanswerable.increment()
                            return nil
                        }
                        let reply = try await student.complete(ChatRequest(
                            messages: [.user(question)], sampling: studentSampling,
                            purpose: CallPurpose(role: .student, stage: .evaluate, round: round)))
                        let record = ResponseRecord(
                            instructionID: id, role: .student, round: round, model: student.name, text: reply.text,
                            promptTokens: reply.usage.promptTokens, completionTokens: reply.usage.completionTokens,
                            latency: reply.latency, origin: "evaluate")
                        // Saved at once, in a task of its own (the store refuses writes from a
                        // cancelled task): a judge failing next must not lose the paid answer.
                        answer = try await Task { try await store.write { try $0.saveResponse(record) } }.value
                    }
                    guard let answer else { return nil }
                    let verdict = try await Self.judge(
                        question: question, student: answer.text, reference: reference.text, judge: judge,
                        prompts: prompts, sampling: judgeSampling, round: round)
                    guard let verdict else {
                        _ = await unparseable.increment()
                        return .unparseable(instructionID: id)
                    }
                    return .judged(EvaluationRecord(
                        round: round, instructionID: id, verdict: verdict.verdict,
                        category: instruction.category ?? TaskTaxonomy.fallbackCategory,
                        studentScore: verdict.student, referenceScore: verdict.reference, rationale: nil))
                },
                persist: { writer, comparisons in
                    var records: [EvaluationRecord] = []
                    for comparison in comparisons {
                        switch comparison {
                        case let .judged(record):
                            records.append(record)
                        case let .unparseable(id):
                            _ = try writer.log(.warning, source: "evaluate",
                                               "judge verdict for eval instruction \(id) unparseable twice; left for the next run",
                                               round: round, stage: .evaluate)
                        }
                    }
                    if !records.isEmpty { try writer.saveEvaluations(records) }
                })
        } catch var failures as StageItemFailures {
            // The round stays unfinished (a rerun retries the failed comparisons), but its
            // metrics show the win rate over the comparisons that succeeded.
            let failed = failures.failed
            let stage = self
            let rates = try await Task { try await stage.record(round: round, store: store, failed: failed, finish: false) }.value
            failures.detail = "\(failures.failed) comparison(s) failed; " + Self.describe(rates)
            throw failures
        }
        let rates = try await record(round: round, store: store, failed: 0, finish: true)
        let missing = await unanswerable.done + withoutReference
        let unread = await unparseable.done
        return .completed(summary: Self.describe(rates)
                          + (missing > 0 ? ", \(missing) without reference or student" : "")
                          + (unread > 0 ? ", \(unread) unparseable verdict(s) left for the next run" : ""))
    }

    /// One eval instruction's end: a stored verdict, or a verdict that stayed unreadable.
    enum Comparison: Sendable {
        case judged(EvaluationRecord)
        case unparseable(instructionID: Int64)
    }

    /// "win rate 50.0% over 4": the overall win rate over the stored comparisons.
    static func describe(_ rates: [WinRate]) -> String {
        "win rate \(String(format: "%.1f", (rates.first?.rate ?? 0) * 100))% over \(rates.first?.total ?? 0)"
    }

    /// Records the round's win rates over its stored comparisons: metrics `win_rate:<Category>`,
    /// `eval_count` and `eval_failed` (comparisons whose model calls failed in this run);
    /// with `finish` the round is finished with its overall win rate.
    @discardableResult
    private func record(round: Int, store: WorkspaceStore, failed: Int, finish: Bool) async throws -> [WinRate] {
        try await store.write { writer in
            let rates = try writer.reader.winRates(round: round)
            var metrics: [String: Double] = [:]
            for rate in rates.dropFirst() { metrics["win_rate:\(rate.category ?? TaskTaxonomy.fallbackCategory)"] = rate.rate }
            metrics["eval_count"] = Double(rates.first?.total ?? 0)
            metrics[Self.failedMetric] = Double(failed)
            if finish {
                let overall = rates.first.flatMap { $0.total > 0 ? $0.rate : nil }
                try writer.finishRound(round: round, winRate: overall, metrics: metrics)
            } else {
                try writer.updateRoundMetrics(round: round, metrics)
            }
            return rates
        }
    }

    /// Round metric: comparisons whose model calls failed in the last evaluate run.
    public static let failedMetric = "eval_failed"

    /// Mean scores of student and reference over both presentation orders and the verdict;
    /// `nil` when a verdict stays unparseable after one re-ask.
    static func judge(
        question: String, student: String, reference: String, judge: any ChatModel, prompts: PromptLibrary,
        sampling: SamplingParameters, round: Int
    ) async throws -> (verdict: EvaluationVerdict, student: Double, reference: Double)? {
        var studentScores: [Double] = []
        var referenceScores: [Double] = []
        for studentFirst in [true, false] {
            let messages = try prompts.render(.evaluate, values: [
                "instruction": .text(question),
                "answer_1": .text(studentFirst ? student : reference),
                "answer_2": .text(studentFirst ? reference : student),
            ])
            var pair: (Double, Double)?
            for attempt in 0..<2 where pair == nil {
                var request = ChatRequest(messages: messages, sampling: sampling,
                                          purpose: CallPurpose(role: .judge, stage: .evaluate, round: round))
                // A re-ask must not be answered from the cache with the same garbage.
                if attempt > 0 { request.sampling.seed = (request.sampling.seed ?? 0) &+ 1 }
                let reply = try await judge.complete(request)
                pair = try? ScorePairExtractor.extract(from: reply.text)
            }
            guard let (first, second) = pair else { return nil }
            studentScores.append(studentFirst ? first : second)
            referenceScores.append(studentFirst ? second : first)
        }
        let s = studentScores.reduce(0, +) / Double(studentScores.count)
        let r = referenceScores.reduce(0, +) / Double(referenceScores.count)
        let verdict: EvaluationVerdict = abs(s - r) < 1e-9 ? .tie : (s > r ? .win : .loss)
        return (verdict, s, r)
    }
}
