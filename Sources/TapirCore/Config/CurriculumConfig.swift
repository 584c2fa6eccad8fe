/// The `curriculum:` section: rounds, the hard-share schedule, difficulty and expansion.
public struct CurriculumConfig: Sendable, Hashable {
    /// Where teacher responses come from.
    public enum TeacherSource: String, Sendable, Hashable, CaseIterable {
        /// The imported dataset's outputs.
        case dataset
        /// The teacher model writes them.
        case model
    }

    /// How expansions in the approval queue become active.
    public enum ApprovalPolicy: String, Sendable, Hashable, CaseIterable {
        /// A person approves each one in the dashboard.
        case manual
        /// Every de-duplicated expansion is approved.
        case auto
        /// Approved when its judge score reaches `approval_min_score`; others wait for a person.
        case autoAboveScore = "auto-above-score"
    }

    /// Near-duplicate filtering of new instructions.
    public struct Dedup: Sendable, Hashable {
        /// Drop exact duplicates after whitespace/case normalisation.
        public var exact: Bool
        /// Drop when word n-gram overlap with an existing instruction is at least this.
        public var ngramThreshold: Double
        /// Drop when ROUGE-L F1 with an existing instruction is at least this.
        public var rougeLThreshold: Double

        public init(exact: Bool = true, ngramThreshold: Double = 0.6, rougeLThreshold: Double = 0.7) {
            self.exact = exact
            self.ngramThreshold = ngramThreshold
            self.rougeLThreshold = rougeLThreshold
        }
    }

    public var rounds: Int
    /// Hard share α_r of each round's training mix, one per round.
    public var alpha: [Double]
    /// MFD threshold δ: instructions with difficulty above it are hard.
    public var delta: Double
    /// Which difficulty drives selection.
    public var difficulty: DifficultyKind
    /// Whether the judge stage asks the judge to score teacher vs student in both orders.
    /// `nil` (the default): only when `difficulty` is `judge`; with ifd or nll the selection
    /// needs no judge, so pairwise judging is opt-in (`true`, e.g. for the Scores screen).
    public var pairwiseJudge: Bool?
    public var teacher: TeacherSource
    /// Training examples per round (`nil`: as many as the data allows).
    public var trainingSetSize: Int?
    public var approval: ApprovalPolicy
    /// Minimum judge score for `auto-above-score`.
    public var approvalMinScore: Double
    /// New instructions the teacher writes per round.
    public var expansionsPerRound: Int
    /// Hard seed instructions shown to the teacher per expansion prompt (2–3).
    public var expansionSeedsPerPrompt: Int
    public var dedup: Dedup
    /// Rewrite teacher responses in a task-specific style.
    public var refine: Bool

    public init(
        rounds: Int = 3, alpha: [Double] = [0.3, 0.5, 0.7], delta: Double = 1.0,
        difficulty: DifficultyKind = .judge, pairwiseJudge: Bool? = nil, teacher: TeacherSource = .dataset,
        trainingSetSize: Int? = nil, approval: ApprovalPolicy = .manual, approvalMinScore: Double = 8,
        expansionsPerRound: Int = 50, expansionSeedsPerPrompt: Int = 3, dedup: Dedup = Dedup(),
        refine: Bool = true
    ) {
        self.rounds = rounds
        self.alpha = alpha
        self.delta = delta
        self.difficulty = difficulty
        self.pairwiseJudge = pairwiseJudge
        self.teacher = teacher
        self.trainingSetSize = trainingSetSize
        self.approval = approval
        self.approvalMinScore = approvalMinScore
        self.expansionsPerRound = expansionsPerRound
        self.expansionSeedsPerPrompt = expansionSeedsPerPrompt
        self.dedup = dedup
        self.refine = refine
    }

    public static let defaults = CurriculumConfig()

    /// Whether the judge stage scores pairwise: `pairwise_judge` when set, else only when the
    /// difficulty is `judge`.
    public var judgesPairwise: Bool { pairwiseJudge ?? (difficulty == .judge) }

    /// α for a 1-based round number, clamped to the schedule.
    public func alpha(forRound round: Int) -> Double {
        guard !alpha.isEmpty else { return 0 }
        return alpha[min(max(round, 1), alpha.count) - 1]
    }
}
