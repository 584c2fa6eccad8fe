import Foundation

/// The whole of a workspace's `tapir.yaml`, as typed values.
///
/// `TapirConfig.defaults` is what `tapir init` writes. Loading and validation of the YAML
/// text lives in TapirStore (`WorkspaceConfigLoader`); `validate()` here checks the rules
/// that do not depend on YAML (ratios, α schedule, ranges).
public struct TapirConfig: Sendable, Hashable {
    public var roles: RolesConfig
    public var curriculum: CurriculumConfig
    /// Task categories and their target share of the training mix.
    public var taxonomy: TaskTaxonomy
    public var trainer: TrainerConfig
    public var budgets: BudgetConfig
    public var cache: CacheConfig
    public var dashboard: DashboardConfig
    public var logging: LoggingConfig

    public init(
        roles: RolesConfig = .defaults, curriculum: CurriculumConfig = .defaults,
        taxonomy: TaskTaxonomy = .tapirDefault, trainer: TrainerConfig = .defaults,
        budgets: BudgetConfig = .defaults, cache: CacheConfig = .defaults,
        dashboard: DashboardConfig = .defaults, logging: LoggingConfig = .defaults
    ) {
        self.roles = roles
        self.curriculum = curriculum
        self.taxonomy = taxonomy
        self.trainer = trainer
        self.budgets = budgets
        self.cache = cache
        self.dashboard = dashboard
        self.logging = logging
    }

    /// The configuration a fresh workspace starts with.
    public static let defaults = TapirConfig()

    /// The roles the configured pipeline actually calls. The teacher is needed when it
    /// writes responses, expansions or refinements; the judge scores and evaluates; the
    /// classifier labels instructions without a dataset category.
    public var usedRoles: [ModelRole] {
        var used: [ModelRole] = [.student]
        if curriculum.teacher == .model || curriculum.refine || curriculum.expansionsPerRound > 0 {
            used.append(.teacher)
        }
        // A configured judge evaluates rounds even when selection does not need it.
        if roles.judge != nil { used.append(.judge) }
        used.append(.classifier)
        return used
    }

    /// The environment variables that used roles name in `api_key_env` but that are unset
    /// or empty in `environment`, as errors naming the key path.
    public func missingAPIKeys(in environment: [String: String]) -> [ConfigError] {
        usedRoles.compactMap { role -> ConfigError? in
            guard let config = roles[role], let name = config.apiKeyEnv else { return nil }
            if let value = environment[name], !value.isEmpty { return nil }
            return ConfigError(
                keyPath: "roles.\(role.rawValue).api_key_env",
                problem: .missingEnvironmentVariable(name: name))
        }
    }

    /// Throws the first missing API key environment variable of a used role.
    public func checkAPIKeys(in environment: [String: String]) throws(ConfigError) {
        if let first = missingAPIKeys(in: environment).first { throw first }
    }

    /// Checks the rules between values: taxonomy shares sum to 1, one α per round in
    /// [0, 1], positive counts, valid thresholds, a teacher when one is used.
    public func validate() throws(ConfigError) {
        let c = curriculum
        if c.rounds < 1 {
            throw ConfigError(keyPath: "curriculum.rounds", problem: .outOfRange(value: "\(c.rounds)", expected: "an integer ≥ 1"))
        }
        if c.alpha.count != c.rounds {
            throw ConfigError(keyPath: "curriculum.alpha", problem: .alphaCount(rounds: c.rounds, found: c.alpha.count))
        }
        for (i, a) in c.alpha.enumerated() where !(0...1).contains(a) {
            throw ConfigError(keyPath: "curriculum.alpha[\(i)]", problem: .outOfRange(value: "\(a)", expected: "a hard share between 0 and 1"))
        }
        if !c.delta.isFinite {
            throw ConfigError(keyPath: "curriculum.delta", problem: .outOfRange(value: "\(c.delta)", expected: "a finite number"))
        }
        if let size = c.trainingSetSize, size < 1 {
            throw ConfigError(keyPath: "curriculum.training_set_size", problem: .outOfRange(value: "\(size)", expected: "an integer ≥ 1 or null"))
        }
        if !(1...10).contains(c.approvalMinScore) {
            throw ConfigError(keyPath: "curriculum.approval_min_score", problem: .outOfRange(value: "\(c.approvalMinScore)", expected: "a judge score between 1 and 10"))
        }
        if c.expansionsPerRound < 0 {
            throw ConfigError(keyPath: "curriculum.expansions_per_round", problem: .outOfRange(value: "\(c.expansionsPerRound)", expected: "an integer ≥ 0"))
        }
        if !(2...3).contains(c.expansionSeedsPerPrompt) {
            throw ConfigError(keyPath: "curriculum.expansion_seeds_per_prompt", problem: .outOfRange(value: "\(c.expansionSeedsPerPrompt)", expected: "2 or 3"))
        }
        for (key, value) in [("ngram_threshold", c.dedup.ngramThreshold), ("rouge_l_threshold", c.dedup.rougeLThreshold)]
        where !(0...1).contains(value) {
            throw ConfigError(keyPath: "curriculum.dedup.\(key)", problem: .outOfRange(value: "\(value)", expected: "a similarity between 0 and 1"))
        }
        if taxonomy.categories.isEmpty {
            throw ConfigError(keyPath: "taxonomy", problem: .outOfRange(value: "an empty list", expected: "at least one category"))
        }
        var seen = Set<String>()
        for (i, category) in taxonomy.categories.enumerated() {
            if category.name.trimmingCharacters(in: .whitespaces).isEmpty {
                throw ConfigError(keyPath: "taxonomy[\(i)].name", problem: .outOfRange(value: "\"\"", expected: "a non-empty category name"))
            }
            if !seen.insert(category.name.lowercased()).inserted {
                throw ConfigError(keyPath: "taxonomy[\(i)].name", problem: .duplicate(value: category.name))
            }
            if !(0...1).contains(category.targetShare) {
                throw ConfigError(keyPath: "taxonomy[\(i)].target_share", problem: .outOfRange(value: "\(category.targetShare)", expected: "a share between 0 and 1"))
            }
        }
        let sum = taxonomy.totalShare
        if abs(sum - 1) > 1e-3 {
            throw ConfigError(keyPath: "taxonomy", problem: .sharesDoNotSumToOne(sum: sum))
        }
        if c.difficulty == .judge && c.pairwiseJudge == false {
            throw ConfigError(keyPath: "curriculum.pairwise_judge", problem: .outOfRange(value: "false", expected: "true or null while difficulty is `judge` (MFD comes from pairwise judging)"))
        }
        if c.judgesPairwise && roles.judge == nil {
            throw ConfigError(keyPath: "roles.judge", problem: .missingKey(expected: "a judge role (difficulty is `judge` or pairwise_judge is true)"))
        }
        if usedRoles.contains(.teacher) && roles.teacher == nil {
            throw ConfigError(keyPath: "roles.teacher", problem: .missingKey(expected: "a teacher role (curriculum.teacher is `model`, refine is on or expansions_per_round > 0)"))
        }
        for (name, value) in [("run_usd", budgets.runUSD), ("round_usd", budgets.roundUSD)] {
            if let value, !(value >= 0) {
                throw ConfigError(keyPath: "budgets.\(name)", problem: .outOfRange(value: "\(value)", expected: "a non-negative amount in US dollars or null"))
            }
        }
    }
}
