import TapirCore
import TapirStore

/// The *refine* stage: the teacher rewrites each train instruction's teacher response in
/// the style of its category (`PromptTemplateName.refine(forCategory:)`). The rewrite is
/// saved as a `.refined` response of the round; the raw teacher response stays untouched.
///
/// Runs on `InstructionWorkLoop`: a failing teacher call is recorded as an error event naming
/// the instruction and the other instructions go on; the stage then fails
/// (`StageItemFailures`) with every rewrite stored, and a rerun asks again for exactly the
/// failed ones. An empty rewrite is a warning (the raw response is kept).
public struct RefineStage: StageRunner {
    public let stage = Stage.refine

    public init() {}

    /// One instruction's end: its rewrite, or an empty reply.
    enum Rewrite: Sendable {
        case refined(ResponseRecord)
        case empty(instructionID: Int64)
    }

    public func run(round: Int, context: EngineContext) async throws -> StageOutcome {
        guard context.config.curriculum.refine else { return .skipped(reason: "refine is off (curriculum.refine)") }
        guard let teacher = context.models.teacher else { return .skipped(reason: "no teacher model") }
        let planner = StageWorkPlanner(curriculum: context.config.curriculum)
        let work = try await context.store.read { try planner.work(.refine, round: round, reader: $0) }
        let store = context.store
        let prompts = context.prompts
        let refinedCount = ProgressCounter(done: work.done)
        let empties = ProgressCounter(done: 0)
        let loop = InstructionWorkLoop(store: store, stage: .refine, round: round, limit: context.concurrency)
        _ = try await loop.run(
            ids: work.pendingIDs, alreadyDone: work.done, total: work.total,
            work: { id -> Rewrite? in
                let source: (InstructionRecord, ResponseRecord)? = try await store.read { reader in
                    guard let instruction = try reader.instruction(id: id),
                          let response = try reader.teacherResponse(instructionID: id, upToRound: round) else { return nil }
                    return (instruction, response)
                }
                guard let (instruction, response) = source else { return nil }
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
                    _ = await empties.increment()
                    return .empty(instructionID: id)
                }
                _ = await refinedCount.increment()
                return .refined(ResponseRecord(
                    instructionID: id, role: .refined, round: round, model: teacher.name, text: text,
                    promptTokens: reply.usage.promptTokens, completionTokens: reply.usage.completionTokens,
                    latency: reply.latency, origin: "refine:\(response.id.map(String.init) ?? "?")"))
            },
            persist: { writer, rewrites in
                for rewrite in rewrites {
                    switch rewrite {
                    case let .refined(record):
                        _ = try writer.saveResponse(record)
                    case let .empty(id):
                        _ = try writer.log(.warning, source: "refine", "empty rewrite for instruction \(id); kept the raw response",
                                           round: round, stage: .refine)
                    }
                }
            })
        let empty = await empties.done
        let refined = await refinedCount.done
        return .completed(summary: "refined \(refined)/\(work.total)" + (empty > 0 ? ", \(empty) empty rewrites" : ""))
    }
}
