import TapirCore
import TapirStore

/// The student answers every active train instruction that has no student response in the
/// round yet (the instruction and its input as the user message, sampled with the student
/// role's temperature and token limit). Each answer is stored as a `.student` response.
public struct AnswerStage: StageRunner {
    public var stage: Stage { .answer }

    public init() {}

    public func run(round: Int, context: EngineContext) async throws -> StageOutcome {
        guard let student = context.models.student else {
            throw StageSetupError.missingModel(stage: .answer, role: .student, hint: "set roles.student in tapir.yaml")
        }
        let planner = StageWorkPlanner(curriculum: context.config.curriculum)
        let work = try await context.store.read { try planner.work(.answer, round: round, reader: $0) }
        let instructions = try await context.store.read { try $0.instructions(ids: work.pendingIDs) }
        let byID = Dictionary(uniqueKeysWithValues: instructions.compactMap { record in record.id.map { ($0, record) } })
        let sampling = context.config.roles.student.sampling
        let loop = InstructionWorkLoop(store: context.store, stage: .answer, round: round, limit: context.concurrency)
        let answered = try await loop.run(
            ids: work.pendingIDs, alreadyDone: work.done, total: work.total,
            work: { id -> ResponseRecord? in
                guard let instruction = byID[id] else { return nil }
                let request = ChatRequest(
                    messages: [.user(instruction.userPrompt)], sampling: sampling,
                    purpose: CallPurpose(role: .student, stage: .answer, round: round))
                let reply = try await student.complete(request)
                return ResponseRecord(
                    instructionID: id, role: .student, round: round, model: reply.model, text: reply.text,
                    promptTokens: reply.usage.promptTokens, completionTokens: reply.usage.completionTokens,
                    latency: reply.latency, origin: "model")
            },
            persist: { writer, records in _ = try writer.saveResponses(records) })
        return .completed(summary: "student answered \(answered) instruction(s); \(work.total) in round \(round)")
    }
}
