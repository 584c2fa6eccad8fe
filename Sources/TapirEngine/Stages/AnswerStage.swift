import TapirCore
import TapirStore

/// The student answers every active train instruction that has no student response in the
/// round yet (the instruction and its input as the user message, sampled with the student
/// role's temperature and token limit). Each answer is stored as a `.student` response.
/// From the round after a trainer run that produced a new student (`trainer.student_after`)
/// on, that student answers (`RoundStudents`).
public struct AnswerStage: StageRunner {
    public var stage: Stage { .answer }

    public init() {}

    public func run(round: Int, context: EngineContext) async throws -> StageOutcome {
        guard let student = try await context.students.student(forRound: round, context: context).chat else {
            throw StageSetupError.missingModel(stage: .answer, role: .student, hint: "set roles.student in tapir.yaml")
        }
        let planner = StageWorkPlanner(curriculum: context.config.curriculum)
        let work = try await context.store.read { try planner.work(.answer, round: round, reader: $0) }
        let answered = try await InstructionResponder(
            model: student, role: .student, responseRole: .student, sampling: context.config.roles.student.sampling
        ).respond(to: work, context: context)
        return .completed(summary: "student answered \(answered) instruction(s); \(work.total) in round \(round)")
    }
}
