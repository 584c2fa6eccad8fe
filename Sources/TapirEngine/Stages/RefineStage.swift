import TapirCore
import TapirStore

/// The *refine* stage: the teacher rewrites each train instruction's teacher response in
/// the style of its category (`PromptTemplateName.refine(forCategory:)`). The rewrite is
/// saved as a `.refined` response of the round; the raw teacher response stays untouched.
public struct RefineStage: StageRunner {
    public let stage = Stage.refine

    public init() {}

    public func run(round: Int, context: EngineContext) async throws -> StageOutcome {
        guard context.config.curriculum.refine else { return .skipped(reason: "refine is off (curriculum.refine)") }
        guard let teacher = context.models.teacher else { return .skipped(reason: "no teacher model") }
        let planner = StageWorkPlanner(curriculum: context.config.curriculum)
        let work = try await context.store.read { try planner.work(.refine, round: round, reader: $0) }
        let store = context.store
        let prompts = context.prompts
        try await store.write { try $0.updateProgress(round: round, stage: .refine, done: work.done, total: work.total) }
        let counter = ProgressCounter(done: work.done)
        let failures = ProgressCounter(done: 0)
        try await BoundedConcurrency.forEach(work.pendingIDs, limit: context.concurrency) { id in
            let source: (InstructionRecord, ResponseRecord)? = try await store.read { reader in
                guard let instruction = try reader.instruction(id: id),
                      let response = try reader.teacherResponse(instructionID: id, upToRound: round) else { return nil }
                return (instruction, response)
            }
            guard let (instruction, response) = source else { return }
            let category = instruction.category ?? TaskTaxonomy.fallbackCategory
            let messages = try prompts.render(.refine(forCategory: category), values: [
                "category": .text(category),
                "instruction": .text(TrainingExample(instruction: instruction.text, input: instruction.input, output: "").prompt),
                "response": .text(response.text),
            ])
            let reply = try await teacher.complete(ChatRequest(
                messages: messages, purpose: CallPurpose(role: .teacher, stage: .refine, round: round)))
            let text = reply.text.trimmingCharacters(in: .whitespacesAndNewlines)
            guard !text.isEmpty else {
                _ = await failures.increment()
                try await store.write { writer in
                    _ = try writer.log(.warning, source: "refine", "empty rewrite for instruction \(id); kept the raw response",
                                       round: round, stage: .refine)
                }
                return
            }
            let record = ResponseRecord(
                instructionID: id, role: .refined, round: round, model: teacher.name, text: text,
                promptTokens: reply.usage.promptTokens, completionTokens: reply.usage.completionTokens,
                latency: reply.latency, origin: "refine:\(response.id.map(String.init) ?? "?")")
            let done = await counter.increment()
            try await store.write { writer in
                _ = try writer.saveResponse(record)
                try writer.updateProgress(round: round, stage: .refine, done: done, total: work.total)
            }
        }
        let failed = await failures.done
        let done = await counter.done
        return .completed(summary: "refined \(done)/\(work.total)" + (failed > 0 ? ", \(failed) empty rewrites" : ""))
    }
}
