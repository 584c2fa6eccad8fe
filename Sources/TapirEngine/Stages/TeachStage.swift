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
        let written = try await InstructionResponder(
            model: teacher, role: .teacher, responseRole: .teacher, sampling: context.config.roles.teacher?.sampling ?? SamplingParameters()
        ).respond(to: work, context: context)
        return .completed(summary: "teacher wrote \(written) reference(s); \(work.total) in round \(round)")
    }
}
