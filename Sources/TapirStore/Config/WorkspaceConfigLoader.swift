import Foundation
import TapirCore
import Yams

/// Loads `tapir.yaml` into a validated `TapirConfig`.
///
/// Every key is checked: wrong types, unknown keys (with the nearest known key suggested),
/// bad URLs, taxonomy shares, the α schedule. Missing keys take their defaults. API keys are
/// not read here: call `TapirConfig.checkAPIKeys(in:)` before calling models.
public enum WorkspaceConfigLoader {
    /// Parses and validates the file at `url`.
    public static func load(contentsOf url: URL) throws(ConfigError) -> TapirConfig {
        let text: String
        do {
            text = try String(contentsOf: url, encoding: .utf8)
        } catch {
            throw ConfigError(keyPath: "", problem: .unreadable(message: "\(url.path): \(error.localizedDescription)"), file: url.path)
        }
        return try load(yaml: text, file: url.path)
    }

    /// Parses and validates YAML text; `file` only labels error messages.
    public static func load(yaml: String, file: String? = nil) throws(ConfigError) -> TapirConfig {
        let root: Node?
        do {
            root = try Yams.compose(yaml: yaml)
        } catch let error as YamlError {
            throw ConfigError(keyPath: "", problem: .syntax(message: Self.describe(error)), line: Self.line(of: error), file: file)
        } catch {
            throw ConfigError(keyPath: "", problem: .syntax(message: "\(error)"), file: file)
        }
        guard let root, !YAMLMappingReader.isNull(root) else { return .defaults }
        let top = try YAMLMappingReader(root, path: "", file: file)
        var config = TapirConfig.defaults
        if let roles = try top.mapping("roles") { config.roles = try readRoles(roles) }
        if let curriculum = try top.mapping("curriculum") { config.curriculum = try readCurriculum(curriculum) }
        if let taxonomy = try top.sequence("taxonomy") {
            config.taxonomy = try readTaxonomy(taxonomy, reader: top)
        }
        if let trainer = try top.mapping("trainer") { config.trainer = try readTrainer(trainer) }
        if let budgets = try top.mapping("budgets") {
            config.budgets = BudgetConfig(runUSD: try budgets.double("run_usd"), roundUSD: try budgets.double("round_usd"))
            try budgets.finish()
        }
        if let cache = try top.mapping("cache") {
            config.cache = CacheConfig(enabled: try cache.bool("enabled") ?? true)
            try cache.finish()
        }
        if let dashboard = try top.mapping("dashboard") {
            let d = DashboardConfig.defaults
            config.dashboard = DashboardConfig(
                theme: try dashboard.string("theme") ?? d.theme, mouse: try dashboard.bool("mouse") ?? d.mouse,
                keys: try dashboard.stringMap("keys") ?? d.keys)
            try dashboard.finish()
        }
        if let logging = try top.mapping("logging") {
            config.logging = LoggingConfig(level: try logging.choice("level", LoggingConfig.Level.self) ?? .info)
            try logging.finish()
        }
        try top.finish()
        do {
            try config.validate()
        } catch var error {
            error.file = file
            throw error
        }
        return config
    }

    // MARK: - Sections

    static func readRoles(_ reader: YAMLMappingReader) throws(ConfigError) -> RolesConfig {
        let defaults = RolesConfig.defaults
        var roles = defaults
        if let m = try reader.mapping("student") { roles.student = try readRole(m) }
        // An explicit `teacher: null` (or no teacher key with a dataset teacher) removes it.
        let teacherPresent = reader.node("teacher") != nil
        if let m = try reader.mapping("teacher") {
            roles.teacher = try readRole(m)
        } else if !teacherPresent {
            roles.teacher = nil
        }
        // An explicit `judge: null` removes the judge (likelihood difficulty, no evaluation).
        if let m = try reader.mapping("judge") {
            roles.judge = try readRole(m)
        } else if reader.contains("judge") {
            roles.judge = nil
        }
        if let m = try reader.mapping("classifier") { roles.classifier = try readRole(m) }
        try reader.finish()
        return roles
    }

    static func readRole(_ r: YAMLMappingReader) throws(ConfigError) -> RoleConfig {
        guard let provider = try r.choice("provider", RoleConfig.Provider.self) else {
            throw r.error("provider", .missingKey(expected: "`native` or `openai`"))
        }
        let d = RoleConfig(provider: provider)
        var role = RoleConfig(provider: provider)
        role.modelPath = try r.string("model_path")
        role.threads = try r.int("threads") ?? d.threads
        role.batchSize = try r.int("batch_size") ?? d.batchSize
        role.baseURL = try r.url("base_url")
        role.model = try r.string("model")
        role.apiKeyEnv = try r.string("api_key_env")
        role.maxConcurrency = try r.int("max_concurrency") ?? d.maxConcurrency
        role.requestsPerMinute = try r.int("requests_per_minute")
        role.tokensPerMinute = try r.int("tokens_per_minute")
        role.maxAttempts = try r.int("max_attempts") ?? d.maxAttempts
        role.timeoutSeconds = try r.double("timeout_seconds") ?? d.timeoutSeconds
        role.connectTimeoutSeconds = try r.double("connect_timeout_seconds") ?? d.connectTimeoutSeconds
        role.priceInputPerMillion = try r.double("price_input_per_million") ?? d.priceInputPerMillion
        role.priceOutputPerMillion = try r.double("price_output_per_million") ?? d.priceOutputPerMillion
        role.extraHeaders = try r.stringMap("extra_headers") ?? d.extraHeaders
        role.extraBody = try r.jsonMap("extra_body") ?? d.extraBody
        role.stream = try r.bool("stream") ?? d.stream
        role.temperature = try r.double("temperature") ?? d.temperature
        role.maxTokens = try r.int("max_tokens") ?? d.maxTokens
        try r.finish()

        switch provider {
        case .native:
            if role.modelPath == nil || role.modelPath?.isEmpty == true {
                throw r.error("model_path", .missingKey(expected: "the path of a GGUF model file for the native provider"))
            }
        case .openai:
            if role.baseURL == nil {
                throw r.error("base_url", .missingKey(expected: "the endpoint URL for the openai provider, e.g. https://api.openai.com/v1"))
            }
            if role.model == nil || role.model?.isEmpty == true {
                throw r.error("model", .missingKey(expected: "the model name sent to the endpoint"))
            }
        }
        for (key, value, minimum) in [("threads", role.threads, 1), ("batch_size", role.batchSize, 1),
                                      ("max_concurrency", role.maxConcurrency, 1), ("max_attempts", role.maxAttempts, 1),
                                      ("max_tokens", role.maxTokens, 1)] where value < minimum {
            throw r.error(key, .outOfRange(value: "\(value)", expected: "an integer ≥ \(minimum)"))
        }
        for (key, value) in [("requests_per_minute", role.requestsPerMinute), ("tokens_per_minute", role.tokensPerMinute)] {
            if let value, value < 1 { throw r.error(key, .outOfRange(value: "\(value)", expected: "an integer ≥ 1 or null")) }
        }
        for (key, value) in [("timeout_seconds", role.timeoutSeconds), ("connect_timeout_seconds", role.connectTimeoutSeconds)] where !(value > 0) {
            throw r.error(key, .outOfRange(value: "\(value)", expected: "a positive number of seconds"))
        }
        for (key, value) in [("price_input_per_million", role.priceInputPerMillion), ("price_output_per_million", role.priceOutputPerMillion)] where !(value >= 0) {
            throw r.error(key, .outOfRange(value: "\(value)", expected: "a non-negative price in US dollars"))
        }
        if !(0...2).contains(role.temperature) {
            throw r.error("temperature", .outOfRange(value: "\(role.temperature)", expected: "a temperature between 0 and 2"))
        }
        if let env = role.apiKeyEnv, env.isEmpty || env.contains(where: { !($0.isLetter || $0.isNumber || $0 == "_") }) {
            throw r.error("api_key_env", .wrongType(expected: "the NAME of an environment variable (letters, digits, _), not the key itself", found: "\"\(env.prefix(4))…\""))
        }
        return role
    }

    static func readCurriculum(_ r: YAMLMappingReader) throws(ConfigError) -> CurriculumConfig {
        let d = CurriculumConfig.defaults
        var c = d
        c.rounds = try r.int("rounds") ?? d.rounds
        c.alpha = try r.doubleList("alpha") ?? d.alpha
        c.delta = try r.double("delta") ?? d.delta
        c.difficulty = try r.choice("difficulty", DifficultyKind.self) ?? d.difficulty
        c.pairwiseJudge = try r.bool("pairwise_judge")
        c.teacher = try r.choice("teacher", CurriculumConfig.TeacherSource.self) ?? d.teacher
        c.trainingSetSize = try r.int("training_set_size")
        c.approval = try r.choice("approval", CurriculumConfig.ApprovalPolicy.self) ?? d.approval
        c.approvalMinScore = try r.double("approval_min_score") ?? d.approvalMinScore
        c.expansionsPerRound = try r.int("expansions_per_round") ?? d.expansionsPerRound
        c.expansionSeedsPerPrompt = try r.int("expansion_seeds_per_prompt") ?? d.expansionSeedsPerPrompt
        if let dedup = try r.mapping("dedup") {
            c.dedup = CurriculumConfig.Dedup(
                exact: try dedup.bool("exact") ?? d.dedup.exact,
                ngramThreshold: try dedup.double("ngram_threshold") ?? d.dedup.ngramThreshold,
                rougeLThreshold: try dedup.double("rouge_l_threshold") ?? d.dedup.rougeLThreshold)
            try dedup.finish()
        }
        c.refine = try r.bool("refine") ?? d.refine
        try r.finish()
        return c
    }

    static func readTaxonomy(_ items: [Node], reader: YAMLMappingReader) throws(ConfigError) -> TaskTaxonomy {
        var categories: [TaskCategory] = []
        for (i, item) in items.enumerated() {
            let m = try YAMLMappingReader(item, path: "taxonomy[\(i)]", file: nil)
            guard let name = try m.string("name") else {
                throw m.error("name", .missingKey(expected: "a category name"), node: item)
            }
            guard let share = try m.double("target_share") else {
                throw m.error("target_share", .missingKey(expected: "a share between 0 and 1"), node: item)
            }
            try m.finish()
            categories.append(TaskCategory(name: name, targetShare: share))
        }
        return TaskTaxonomy(categories: categories)
    }

    static func readTrainer(_ r: YAMLMappingReader) throws(ConfigError) -> TrainerConfig {
        let t = TrainerConfig(
            command: try r.string("command"), studentAfter: try r.string("student_after"),
            workingDir: try r.string("working_dir"), env: try r.stringMap("env") ?? [:])
        try r.finish()
        if let command = t.command {
            let known = Set(TrainerConfig.placeholders)
            var rest = Substring(command)
            while let open = rest.firstIndex(of: "{"), let close = rest[open...].firstIndex(of: "}") {
                let name = String(rest[rest.index(after: open)..<close])
                if !name.isEmpty, name.allSatisfy({ $0.isLetter || $0 == "_" }), !known.contains(name) {
                    throw r.error("command", .notOneOf(value: "{\(name)}", allowed: TrainerConfig.placeholders.map { "{\($0)}" }))
                }
                rest = rest[rest.index(after: close)...]
            }
        }
        return t
    }

    // MARK: - YAML errors

    static func describe(_ error: YamlError) -> String {
        let text = "\(error)"
        return text.split(separator: "\n").first.map(String.init) ?? text
    }

    static func line(of error: YamlError) -> Int? {
        switch error {
        case let .scanner(_, _, mark, _), let .parser(_, _, mark, _), let .composer(_, _, mark, _):
            return mark.line
        default:
            return nil
        }
    }
}
