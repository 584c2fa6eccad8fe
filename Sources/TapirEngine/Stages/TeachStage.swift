import TapirCore
import TapirStore

/// Makes sure every active train instruction has a teacher reference response.
///
/// With `curriculum.teacher == .dataset` the references come from the dataset; instructions
/// without one (approved expansions, for example) get one from the teacher model when one is
/// configured, otherwise they are reported as lacking a reference. With `.model` the teacher
/// model writes the references of all pending instructions.
public struct TeachStage: StageRunner {
    public var stage: Stage { .teach }

    public init() {}

    public func run(round: Int, context: EngineContext) async throws -> StageOutcome {
        let planner = StageWorkPlanner(curriculum: context.config.curriculum)
        let work = try await context.store.read { try planner.work(.teach, round: round, reader: $0) }
        guard !work.pendingIDs.isEmpty else {
            try await context.store.write { try $0.updateProgress(round: round, stage: .teach, done: work.total, total: work.total) }
            return .completed(summary: "all \(work.total) instruction(s) have a teacher reference")
        }
        guard let teacher = context.models.teacher else {
            if context.config.curriculum.teacher == .model {
                throw StageSetupError.missingModel(
                    stage: .teach, role: .teacher, hint: "set roles.teacher, or curriculum.teacher: dataset")
            }
            try await context.store.write { try $0.updateProgress(round: round, stage: .teach, done: work.done, total: work.total) }
            return .completed(summary: "\(work.pendingIDs.count) of \(work.total) instruction(s) lack a teacher reference (no teacher model configured)")
        }
        let instructions = try await context.store.read { try $0.instructions(ids: work.pendingIDs) }
        let byID = Dictionary(uniqueKeysWithValues: instructions.compactMap { record in record.id.map { ($0, record) } })
        let sampling = context.config.roles.teacher?.sampling ?? SamplingParameters()
        let loop = InstructionWorkLoop(store: context.store, stage: .teach, round: round, limit: context.concurrency)
        let written = try await loop.run(
            ids: work.pendingIDs, alreadyDone: work.done, total: work.total,
            work: { id -> ResponseRecord? in
                guard let instruction = byID[id] else { return nil }
                let request = ChatRequest(
                    messages: [.user(instruction.userPrompt)], sampling: sampling,
                    purpose: CallPurpose(role: .teacher, stage: .teach, round: round))
                let reply = try await teacher.complete(request)
                return ResponseRecord(
                    instructionID: id, role: .teacher, round: round, model: reply.model, text: reply.text,
                    promptTokens: reply.usage.promptTokens, completionTokens: reply.usage.completionTokens,
                    latency: reply.latency, origin: "model")
            },
            persist: { writer, records in _ = try writer.saveResponses(records) })
        return .completed(summary: "teacher wrote \(written) reference(s); \(work.total) in round \(round)")
    }
}
