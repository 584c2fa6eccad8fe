import TapirCore
import TapirLLM
import TapirStore

/// Scores the teacher's reference against the student's answer of the round.
///
/// The judge sees both answers in both orders (`judge` prompt template). A reply whose two
/// scores cannot be read is asked again once, with the parse error; if it still cannot be
/// read the judgement is stored `failed` with the error. From two readable orders the
/// model-fitting difficulty (`JudgeVerdict.difficulty`) is stored as the judgement's MFD and
/// as a `.judge` difficulty. With a student likelihood scorer the stage also stores `.nll`
/// and `.ifd` of the teacher response, scored by the round's student (a trained one once
/// there is one). Pairwise judging runs only when the curriculum asks for it
/// (`CurriculumConfig.judgesPairwise`: always for difficulty `judge`, opt-in with
/// `pairwise_judge: true` for ifd/nll); otherwise only the likelihood signals are computed and
/// the summary records why the judge was not asked. A model call that fails (after the
/// client's retries) is recorded per instruction as an error event and the other
/// instructions go on; the stage then fails (`StageItemFailures`) with everything finished
/// stored, and a rerun asks again for exactly the failed ones.
public struct JudgeStage: StageRunner {
    public var stage: Stage { .judge }

    public init() {}

    /// One instruction's results, saved together.
    struct Outcome: Sendable {
        var judgement: JudgementRecord?
        var difficulties: [DifficultyRecord]
    }

    public func run(round: Int, context: EngineContext) async throws -> StageOutcome {
        let kind = context.config.curriculum.difficulty
        let pairwise = context.config.curriculum.judgesPairwise || kind == .judge
        let judge = pairwise ? context.models.judge : nil
        // The round's student (a trained one once there is one) scores the likelihoods.
        let scorer = try await context.students.student(forRound: round, context: context).scorer
        if pairwise && judge == nil {
            throw StageSetupError.missingModel(
                stage: .judge, role: .judge,
                hint: kind == .judge ? "set roles.judge, or use difficulty ifd/nll with a native student"
                    : "set roles.judge, or drop curriculum.pairwise_judge")
        }
        if kind != .judge && scorer == nil {
            throw StageSetupError.missingModel(
                stage: .judge, role: .student,
                hint: "difficulty \(kind.rawValue) needs the student's likelihoods: run it natively (roles.student.provider: native)")
        }
        let planner = StageWorkPlanner(curriculum: context.config.curriculum)
        var work = try await context.store.read { try planner.work(.judge, round: round, reader: $0) }
        if judge == nil {
            // Likelihood only: an instruction is done once its NLL is stored.
            let scored = Set(try await context.store.read { try $0.difficulties(round: round, kind: .nll) }.map(\.instructionID))
            work.pendingIDs.removeAll { scored.contains($0) }
        }
        let pending = work.pendingIDs
        // Read in chunks (three queries per chunk, not three per instruction) while the
        // first judgements are asked.
        let inputs = StageInputs(ids: pending, store: context.store, first: 2 * context.concurrency) { reader, ids -> [Int64: JudgeInput] in
            let teachers = try reader.teacherResponses(instructionIDs: ids, upToRound: round)
            let students = try reader.responses(role: .student, round: round, instructionIDs: ids)
            var inputs: [Int64: JudgeInput] = [:]
            for instruction in try reader.instructions(ids: ids) {
                guard let id = instruction.id, let teacher = teachers[id], let student = students[id] else { continue }
                inputs[id] = JudgeInput(prompt: instruction.userPrompt, teacher: teacher.text, student: student.text)
            }
            return inputs
        }
        defer { inputs.cancel() }
        let prompts = context.prompts
        let sampling = context.config.roles.judge?.sampling ?? SamplingParameters(temperature: 0, maxTokens: 512)
        let loop = InstructionWorkLoop(store: context.store, stage: .judge, round: round, limit: context.concurrency)
        let done = try await loop.run(
            ids: pending, alreadyDone: work.done, total: work.total,
            work: { id -> Outcome? in
                guard let input = try await inputs.input(for: id) else { return nil }
                var outcome = Outcome(judgement: nil, difficulties: [])
                if let judge {
                    let judgement = try await Self.judge(
                        input, id: id, round: round, judge: judge, prompts: prompts, sampling: sampling)
                    outcome.judgement = judgement
                    if judgement.status == .ok, let mfd = judgement.mfd {
                        outcome.difficulties.append(DifficultyRecord(instructionID: id, round: round, kind: .judge, value: mfd))
                    }
                }
                if let scorer {
                    let likelihood = try await scorer.likelihood(of: input.teacher, after: [.user(input.prompt)])
                    outcome.difficulties.append(DifficultyRecord(instructionID: id, round: round, kind: .nll, value: likelihood.meanNLL))
                    outcome.difficulties.append(DifficultyRecord(instructionID: id, round: round, kind: .ifd, value: likelihood.ifd))
                }
                return outcome
            },
            persist: { writer, outcomes in
                for outcome in outcomes {
                    if let judgement = outcome.judgement { _ = try writer.saveJudgement(judgement) }
                    try writer.saveDifficulties(outcome.difficulties)
                }
            })
        let failed = try await context.store.read { try $0.judgements(round: round, status: .failed).count }
        guard judge != nil else {
            return .completed(summary: "likelihood-scored \(done) instruction(s) in round \(round); "
                + "pairwise judging skipped: difficulty is \(kind.rawValue) (curriculum.pairwise_judge: true asks the judge too)")
        }
        return .completed(summary: "judged \(done) instruction(s); \(failed) failed judgement(s) in round \(round)")
    }

    /// The texts one judgement compares.
    struct JudgeInput: Sendable {
        var prompt: String
        var teacher: String
        var student: String
    }

    /// Both orders, each re-asked once when unreadable, folded into one judgement record.
    static func judge(
        _ input: JudgeInput, id: Int64, round: Int, judge: any ChatModel, prompts: PromptLibrary,
        sampling: SamplingParameters
    ) async throws -> JudgementRecord {
        let purpose = CallPurpose(role: .judge, stage: .judge, round: round)
        async let teacherFirst = askScores(
            try prompts.render(.judge, values: ["instruction": .text(input.prompt), "answer_1": .text(input.teacher), "answer_2": .text(input.student)]),
            judge: judge, sampling: sampling, purpose: purpose)
        async let studentFirst = askScores(
            try prompts.render(.judge, values: ["instruction": .text(input.prompt), "answer_1": .text(input.student), "answer_2": .text(input.teacher)]),
            judge: judge, sampling: sampling, purpose: purpose)
        let (ab, ba) = try await (teacherFirst, studentFirst)
        var record = JudgementRecord(instructionID: id, round: round, judgeModel: judge.name)
        if case let .success((first, second)) = ab.scores {
            record.teacherScoreAB = first
            record.studentScoreAB = second
        }
        if case let .success((first, second)) = ba.scores {
            record.studentScoreBA = first
            record.teacherScoreBA = second
        }
        record.rationale = String(ab.reply.prefix(4000))
        var errors: [String] = []
        if case let .failure(message) = ab.scores { errors.append("teacher-first order: \(message)") }
        if case let .failure(message) = ba.scores { errors.append("student-first order: \(message)") }
        if errors.isEmpty {
            let verdict = JudgeVerdict(
                teacherFirst: JudgeScores(teacher: record.teacherScoreAB!, student: record.studentScoreAB!),
                studentFirst: JudgeScores(teacher: record.teacherScoreBA!, student: record.studentScoreBA!))
            record.mfd = verdict.difficulty?.value
            record.status = .ok
        } else {
            record.status = .failed
            record.error = errors.joined(separator: "; ")
        }
        return record
    }

    /// A judge reply's score pair, or why it could not be read.
    enum Scores: Sendable {
        case success((Double, Double))
        case failure(String)
    }

    /// Asks for scores; an unreadable reply is followed up once with the parse error (a new
    /// request, so a cached garbage reply is not simply returned again).
    static func askScores(
        _ messages: [ChatMessage], judge: any ChatModel, sampling: SamplingParameters, purpose: CallPurpose
    ) async throws -> (scores: Scores, reply: String) {
        let first = try await judge.complete(ChatRequest(messages: messages, sampling: sampling, purpose: purpose))
        do {
            return (.success(try ScorePairExtractor.extract(from: first.text)), first.text)
        } catch {
            let followUp = messages + [
                .assistant(first.text),
                .user("Your reply could not be read (\(error)). Reply again: the first line must hold only the two scores from 1 to 10, Assistant 1's first, separated by a space (for example: 8 5)."),
            ]
            let second = try await judge.complete(ChatRequest(messages: followUp, sampling: sampling, purpose: purpose))
            do {
                return (.success(try ScorePairExtractor.extract(from: second.text)), second.text)
            } catch {
                return (.failure("unreadable judge reply after one re-ask: \(error)"), second.text)
            }
        }
    }
}
