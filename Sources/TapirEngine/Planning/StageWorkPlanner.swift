import TapirCore
import TapirStore

/// Works out, from the store alone, what the per-instruction stages of a round have left.
/// Because every result is in the database, re-planning after a crash yields exactly the
/// unfinished items: a stage run over `pendingIDs` is idempotent and never pays twice.
public struct StageWorkPlanner: Sendable {
    public var curriculum: CurriculumConfig

    public init(curriculum: CurriculumConfig) {
        self.curriculum = curriculum
    }

    /// The work left for `stage` in `round`. Stages without per-instruction work (select,
    /// expand, compose, train, evaluate) are planned by their own runners and throw here.
    public func work(_ stage: Stage, round: Int, reader: StoreReader) throws -> StageWork {
        let train = try reader.instructionIDs(.activeTrain)
        switch stage {
        case .answer:
            // The student answers every active train instruction anew each round.
            let pending = try reader.instructionIDsWithoutResponse(role: .student, round: round)
            return StageWork(stage: stage, round: round, total: train.count, pendingIDs: pending)
        case .teach:
            // Any teacher response from this or an earlier round (or the dataset) counts.
            let pending = try reader.instructionIDsWithoutResponse(role: .teacher, round: round)
            return StageWork(stage: stage, round: round, total: train.count, pendingIDs: pending)
        case .judge:
            // Judgeable: both a student answer of this round and a teacher response. A recorded
            // failure is an outcome too: it is not re-planned.
            let withoutStudent = Set(try reader.instructionIDsWithoutResponse(role: .student, round: round))
            let withoutTeacher = Set(try reader.instructionIDsWithoutResponse(role: .teacher, round: round))
            let judgeable = train.filter { !withoutStudent.contains($0) && !withoutTeacher.contains($0) }
            let judged = Set(try reader.judgements(round: round).map(\.instructionID))
            return StageWork(stage: stage, round: round, total: judgeable.count, pendingIDs: judgeable.filter { !judged.contains($0) })
        case .classify:
            // Train and eval instructions alike: evaluation reports win rates per category.
            let active = try reader.instructionIDs(InstructionFilter(state: .active))
            let pending = try reader.instructionIDs(InstructionFilter(state: .active, uncategorized: true))
            return StageWork(stage: stage, round: round, total: active.count, pendingIDs: pending)
        case .refine:
            guard curriculum.refine else { return StageWork(stage: stage, round: round, total: 0, pendingIDs: []) }
            let withoutTeacher = Set(try reader.instructionIDsWithoutResponse(role: .teacher, round: round))
            let refinable = train.filter { !withoutTeacher.contains($0) }
            let unrefined = Set(try reader.instructionIDsWithoutResponse(role: .refined, round: round))
            return StageWork(stage: stage, round: round, total: refinable.count, pendingIDs: refinable.filter { unrefined.contains($0) })
        case .select, .expand, .compose, .train, .evaluate:
            throw PlanningError.notPerInstruction(stage)
        }
    }
}

/// A planning request the planner cannot answer.
public enum PlanningError: Error, Sendable, Hashable, CustomStringConvertible {
    case notPerInstruction(Stage)

    public var description: String {
        switch self {
        case let .notPerInstruction(stage):
            "stage '\(stage.rawValue)' has no per-instruction work list; its runner plans it"
        }
    }
}
