import TapirCore
import TapirStore

/// Has one model answer each pending instruction of a stage's work list (the instruction and
/// its input as the user message) and stores the answers as `role` responses of the round.
/// Shared by the answer stage (student) and the teach stage (teacher).
struct InstructionResponder: Sendable {
    var model: any ChatModel
    var role: ModelRole
    var responseRole: ResponseRole
    var sampling: SamplingParameters

    /// Returns how many instructions were answered in this run.
    func respond(to work: StageWork, context: EngineContext) async throws -> Int {
        let round = work.round, stage = work.stage
        let instructions = StageInputs(ids: work.pendingIDs, store: context.store, first: 2 * context.concurrency) { reader, ids in
            Dictionary(uniqueKeysWithValues: try reader.instructions(ids: ids).compactMap { record in record.id.map { ($0, record) } })
        }
        defer { instructions.cancel() }
        let loop = InstructionWorkLoop(store: context.store, stage: stage, round: round, limit: context.concurrency)
        let (model, role, responseRole, sampling) = (model, role, responseRole, sampling)
        return try await loop.run(
            ids: work.pendingIDs, alreadyDone: work.done, total: work.total,
            work: { id -> ResponseRecord? in
                guard let instruction = try await instructions.input(for: id) else { return nil }
                let request = ChatRequest(
                    messages: [.user(instruction.userPrompt)], sampling: sampling,
                    purpose: CallPurpose(role: role, stage: stage, round: round))
                let reply = try await model.complete(request)
                return ResponseRecord(
                    instructionID: id, role: responseRole, round: round, model: reply.model, text: reply.text,
                    promptTokens: reply.usage.promptTokens, completionTokens: reply.usage.completionTokens,
                    latency: reply.latency, origin: "model")
            },
            persist: { writer, records in _ = try writer.saveResponses(records) })
    }
}
