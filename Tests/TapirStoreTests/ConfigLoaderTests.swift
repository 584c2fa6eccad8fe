import Foundation
import Testing
import TapirCore
@testable import TapirStore

@Suite("Workspace configuration")
struct ConfigLoaderTests {
    /// Loads `yaml`, expecting a `ConfigError`.
    func failure(_ yaml: String) -> ConfigError? {
        do {
            _ = try WorkspaceConfigLoader.load(yaml: yaml)
            return nil
        } catch {
            return error
        }
    }

    @Test func templateLoadsToDefaults() throws {
        let config = try WorkspaceConfigLoader.load(yaml: ConfigTemplate.text)
        #expect(config == TapirConfig.defaults)
        #expect(config.curriculum.alpha == [0.3, 0.5, 0.7])
        #expect(config.taxonomy.categories.count == 32)
    }

    @Test func templateListsEveryOption() throws {
        let text = ConfigTemplate.text
        let keys = ["provider", "model_path", "threads", "batch_size", "base_url", "model", "api_key_env",
                    "max_concurrency", "requests_per_minute", "tokens_per_minute", "max_attempts", "timeout_seconds",
                    "connect_timeout_seconds", "price_input_per_million", "price_output_per_million", "extra_headers",
                    "extra_body", "stream", "temperature", "max_tokens", "rounds", "alpha", "delta", "difficulty",
                    "teacher", "training_set_size", "approval", "approval_min_score", "expansions_per_round",
                    "expansion_seeds_per_prompt", "dedup", "exact", "ngram_threshold", "rouge_l_threshold", "refine",
                    "taxonomy", "target_share", "trainer", "command", "student_after", "working_dir", "env",
                    "budgets", "run_usd", "round_usd", "cache", "enabled", "dashboard", "theme", "mouse", "keys",
                    "logging", "level"]
        for key in keys {
            #expect(text.contains("\(key):"), "template lacks \(key)")
        }
        // Every line with a value has a comment or belongs to a commented block.
        #expect(text.components(separatedBy: "#").count > 60)
    }

    @Test func emptyFileGivesDefaults() throws {
        #expect(try WorkspaceConfigLoader.load(yaml: "") == .defaults)
    }

    @Test func overridesAreRead() throws {
        let config = try WorkspaceConfigLoader.load(yaml: """
            curriculum:
              rounds: 2
              alpha: [0.4, 0.8]
              delta: 1.5
              difficulty: ifd
              approval: auto-above-score
              dedup: { exact: false, ngram_threshold: 0.5 }
            roles:
              student: { provider: openai, base_url: "http://127.0.0.1:8080/v1", model: small }
              teacher: { provider: openai, base_url: "https://api.example.com/v1", model: big, api_key_env: EX_KEY,
                         extra_body: { top_k: 20, chat_template_kwargs: { enable_thinking: false } } }
              judge: { provider: openai, base_url: "https://api.example.com/v1", model: big }
              classifier: { provider: native, model_path: /models/c.gguf }
            trainer:
              command: "train --data {data} --out {output} --round {round}"
              env: { CUDA_VISIBLE_DEVICES: 0 }
            budgets: { run_usd: 25, round_usd: null }
            dashboard: { keys: { approve: y } }
            """)
        #expect(config.curriculum.rounds == 2)
        #expect(config.curriculum.alpha == [0.4, 0.8])
        #expect(config.curriculum.difficulty == .ifd)
        #expect(config.curriculum.approval == .autoAboveScore)
        #expect(config.curriculum.dedup == .init(exact: false, ngramThreshold: 0.5, rougeLThreshold: 0.7))
        #expect(config.roles.student.provider == .openai)
        #expect(config.roles.teacher?.apiKeyEnv == "EX_KEY")
        #expect(config.roles.teacher?.extraBody["top_k"] == "20")
        #expect(config.roles.teacher?.extraBody["chat_template_kwargs"] == #"{"enable_thinking":false}"#)
        #expect(config.roles.classifier.modelPath == "/models/c.gguf")
        #expect(config.trainer.env["CUDA_VISIBLE_DEVICES"] == "0")
        #expect(config.budgets.runUSD == 25)
        #expect(config.budgets.roundUSD == nil)
        #expect(config.dashboard.keys == ["approve": "y"])
    }

    @Test func wrongTypeNamesKeyPath() throws {
        let error = try #require(failure("curriculum:\n  rounds: three\n"))
        #expect(error.keyPath == "curriculum.rounds")
        #expect(error.line == 2)
        guard case let .wrongType(expected, found) = error.problem else { Issue.record("\(error)"); return }
        #expect(expected == "an integer")
        #expect(found.contains("three"))
        #expect(error.description.contains("curriculum.rounds"))

        let boolError = try #require(failure("cache:\n  enabled: 3\n"))
        #expect(boolError.keyPath == "cache.enabled")
        let listError = try #require(failure("curriculum:\n  alpha: 0.3\n"))
        #expect(listError.keyPath == "curriculum.alpha")
        let sectionError = try #require(failure("roles: 3\n"))
        #expect(sectionError.keyPath == "roles")
    }

    @Test func unknownKeySuggestsNearest() throws {
        let error = try #require(failure("curriculum:\n  aplha: [0.3, 0.5, 0.7]\n"))
        #expect(error.keyPath == "curriculum.aplha")
        #expect(error.problem == .unknownKey(suggestion: "alpha"))
        #expect(error.description.contains("did you mean `alpha`"))

        let roleError = try #require(failure("""
            roles:
              teacher: { provider: openai, base_url: "https://x.example/v1", model: m, api_key: OPENAI_API_KEY }
            """))
        #expect(roleError.keyPath == "roles.teacher.api_key")
        #expect(roleError.problem == .unknownKey(suggestion: "api_key_env"))

        let topError = try #require(failure("budget:\n  run_usd: 3\n"))
        #expect(topError.problem == .unknownKey(suggestion: "budgets"))
    }

    @Test func badURL() throws {
        let error = try #require(failure("""
            roles:
              teacher: { provider: openai, base_url: "api.openai.com/v1", model: gpt-4o }
            """))
        #expect(error.keyPath == "roles.teacher.base_url")
        #expect(error.problem == .badURL(value: "api.openai.com/v1"))
        let ftp = try #require(failure("""
            roles:
              judge: { provider: openai, base_url: "ftp://host/v1", model: m }
            """))
        #expect(ftp.keyPath == "roles.judge.base_url")
    }

    @Test func sharesMustSumToOne() throws {
        let error = try #require(failure("""
            taxonomy:
              - { name: Math, target_share: 0.5 }
              - { name: Code, target_share: 0.4 }
            """))
        #expect(error.keyPath == "taxonomy")
        guard case let .sharesDoNotSumToOne(sum) = error.problem else { Issue.record("\(error)"); return }
        #expect(abs(sum - 0.9) < 1e-9)
        // Within 1e-3 is accepted.
        let config = try WorkspaceConfigLoader.load(yaml: """
            taxonomy:
              - { name: Math, target_share: 0.5 }
              - { name: Code, target_share: 0.4995 }
            """)
        #expect(config.taxonomy.names == ["Math", "Code"])
        let duplicate = try #require(failure("""
            taxonomy:
              - { name: Math, target_share: 0.5 }
              - { name: math, target_share: 0.5 }
            """))
        #expect(duplicate.keyPath == "taxonomy[1].name")
    }

    @Test func alphaScheduleChecked() throws {
        let count = try #require(failure("curriculum:\n  rounds: 4\n"))
        #expect(count.keyPath == "curriculum.alpha")
        #expect(count.problem == .alphaCount(rounds: 4, found: 3))
        let range = try #require(failure("curriculum:\n  alpha: [0.3, 1.5, 0.7]\n"))
        #expect(range.keyPath == "curriculum.alpha[1]")
        let seeds = try #require(failure("curriculum:\n  expansion_seeds_per_prompt: 5\n"))
        #expect(seeds.keyPath == "curriculum.expansion_seeds_per_prompt")
    }

    @Test func enumValuesChecked() throws {
        let error = try #require(failure("curriculum:\n  difficulty: hardness\n"))
        #expect(error.keyPath == "curriculum.difficulty")
        #expect(error.problem == .notOneOf(value: "hardness", allowed: ["judge", "ifd", "nll"]))
        let provider = try #require(failure("roles:\n  judge: { provider: anthropic }\n"))
        #expect(provider.keyPath == "roles.judge.provider")
    }

    @Test func missingRequiredRoleKeys() throws {
        let noModel = try #require(failure("roles:\n  judge: { provider: openai, base_url: \"http://h/v1\" }\n"))
        #expect(noModel.keyPath == "roles.judge.model")
        let noProvider = try #require(failure("roles:\n  judge: { model: m }\n"))
        #expect(noProvider.keyPath == "roles.judge.provider")
    }

    @Test func teacherMayBeAbsentOnlyWhenUnused() throws {
        let roles = """
            roles:
              student: { provider: native, model_path: /m.gguf }
              judge: { provider: openai, base_url: "http://h/v1", model: j }
              classifier: { provider: openai, base_url: "http://h/v1", model: c }
            """
        let needed = try #require(failure(roles))
        #expect(needed.keyPath == "roles.teacher")
        let config = try WorkspaceConfigLoader.load(yaml: roles + """

            curriculum: { teacher: dataset, refine: false, expansions_per_round: 0 }
            """)
        #expect(config.roles.teacher == nil)
        #expect(!config.usedRoles.contains(.teacher))
    }

    @Test func missingEnvironmentVariable() throws {
        let config = TapirConfig.defaults
        let missing = config.missingAPIKeys(in: [:])
        #expect(missing.map(\.keyPath) == ["roles.teacher.api_key_env", "roles.judge.api_key_env", "roles.classifier.api_key_env"])
        #expect(missing.first?.problem == .missingEnvironmentVariable(name: "OPENAI_API_KEY"))
        #expect(throws: ConfigError.self) { try config.checkAPIKeys(in: ["OPENAI_API_KEY": ""]) }
        try config.checkAPIKeys(in: ["OPENAI_API_KEY": "sk-test"])
        // The message names the variable, never a value.
        #expect(missing[0].description.contains("OPENAI_API_KEY"))
    }

    @Test func apiKeyEnvMustBeAName() throws {
        let error = try #require(failure("""
            roles:
              judge: { provider: openai, base_url: "http://h/v1", model: m, api_key_env: "sk-abc123-secret" }
            """))
        #expect(error.keyPath == "roles.judge.api_key_env")
        #expect(!error.description.contains("abc123-secret"))
    }

    @Test func unknownTrainerPlaceholder() throws {
        let error = try #require(failure("trainer:\n  command: \"train {dataset}\"\n"))
        #expect(error.keyPath == "trainer.command")
    }

    @Test func syntaxErrorHasLine() throws {
        let error = try #require(failure("curriculum:\n  rounds: [1, 2\n"))
        guard case .syntax = error.problem else { Issue.record("\(error)"); return }
        #expect(error.line != nil)
    }

    @Test func nearestKey() {
        #expect(YAMLMappingReader.nearest(to: "alhpa", in: ["alpha", "delta"]) == "alpha")
        #expect(YAMLMappingReader.nearest(to: "zzzzzzzz", in: ["alpha", "delta"]) == nil)
        #expect(YAMLMappingReader.editDistance("kitten", "sitting") == 3)
    }
}
