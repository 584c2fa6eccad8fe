import TapirCore

/// The commented `tapir.yaml` that `tapir init` writes: every option, with its default.
public enum ConfigTemplate {
    /// The full default configuration file. Loading it gives `TapirConfig.defaults`.
    public static var text: String {
        head + roles + curriculum + taxonomy + rest
    }

    private static let head = """
    # tapir workspace configuration.
    # Every option is listed with its default. Keys are snake_case; `null` means "none".
    # API keys are never written here: each role names the environment variable that
    # holds its key (api_key_env), read only when the model is called.

    """

    private static func role(_ name: String, _ comment: String, _ r: RoleConfig) -> String {
        func opt(_ s: String?) -> String { s.map { "\"\($0)\"" } ?? "null" }
        func opt(_ i: Int?) -> String { i.map(String.init) ?? "null" }
        return """
          # \(comment)
          \(name):
            provider: \(r.provider.rawValue)            # native (GGUF in-process) | openai (OpenAI-compatible endpoint)
            model_path: \(opt(r.modelPath))   # native: GGUF file; ~ and ${TAPIR_HOME} are expanded
            threads: \(r.threads)                   # native: worker threads
            batch_size: \(r.batchSize)                # native: sequences decoded together
            base_url: \(opt(r.baseURL))   # openai: endpoint, e.g. http://127.0.0.1:8000/v1 for vLLM
            model: \(opt(r.model))          # openai: model name sent in the request
            api_key_env: \(opt(r.apiKeyEnv))    # NAME of the environment variable with the API key (null: no key)
            max_concurrency: \(r.maxConcurrency)           # requests in flight at once
            requests_per_minute: \(opt(r.requestsPerMinute))     # rate limit (null: none)
            tokens_per_minute: \(opt(r.tokensPerMinute))       # token rate limit (null: none)
            max_attempts: \(r.maxAttempts)              # attempts per request, including the first
            timeout_seconds: \(r.timeoutSeconds)         # whole request
            connect_timeout_seconds: \(r.connectTimeoutSeconds)  # connection setup
            price_input_per_million: \(r.priceInputPerMillion)    # US dollars per million prompt tokens (cost ledger)
            price_output_per_million: \(r.priceOutputPerMillion)   # US dollars per million completion tokens
            extra_headers: {}             # extra HTTP headers; values may use ${ENV_NAME}
            extra_body: {}                # extra JSON fields merged into every request body
            stream: \(r.stream)                 # stream replies (server-sent events)
            temperature: \(r.temperature)            # default sampling temperature for this role
            max_tokens: \(r.maxTokens)              # default reply length limit

        """
    }

    private static var roles: String {
        let d = RolesConfig.defaults
        return "# Models. Each role is a native GGUF model or an OpenAI-compatible endpoint.\n"
            + "# The teacher may be removed (teacher: null) when curriculum.teacher is `dataset`,\n"
            + "# refine is false and expansions_per_round is 0; the judge (judge: null) when difficulty\n"
            + "# is ifd or nll and pairwise_judge is not true (rounds are then not evaluated).\nroles:\n"
            + role("student", "The small model being distilled.", d.student)
            + role("teacher", "Writes responses (teacher: model), new instructions and refinements.", d.teacher!)
            + role("judge", "Scores teacher vs student responses (difficulty) and evaluates rounds.", d.judge!)
            + role("classifier", "Labels instructions with a task category (dataset labels win).", d.classifier)
    }

    private static var curriculum: String {
        let c = CurriculumConfig.defaults
        let alpha = c.alpha.map { "\($0)" }.joined(separator: ", ")
        return """

        curriculum:
          rounds: \(c.rounds)                      # curriculum rounds
          alpha: [\(alpha)]         # hard share of each round's training mix, one per round, in [0, 1]
          delta: \(c.delta)                     # difficulty threshold: above it an instruction is hard
          difficulty: \(c.difficulty.rawValue)               # judge (MFD from judge scores) | ifd | nll (student likelihood)
          pairwise_judge: null            # judge teacher vs student in both orders (null: only when difficulty is judge)
          teacher: \(c.teacher.rawValue)               # dataset (use imported outputs) | model (teacher writes them)
          training_set_size: null         # examples per round's training set (null: all available)
          approval: \(c.approval.rawValue)                # manual | auto | auto-above-score (expansions queue)
          approval_min_score: \(c.approvalMinScore)         # judge score needed by auto-above-score
          expansions_per_round: \(c.expansionsPerRound)        # new instructions the teacher writes per round
          expansion_seeds_per_prompt: \(c.expansionSeedsPerPrompt)    # hard seed examples per expansion prompt (2-3)
          dedup:
            exact: \(c.dedup.exact)                   # drop normalised exact duplicates
            ngram_threshold: \(c.dedup.ngramThreshold)        # drop when word n-gram overlap reaches this
            rouge_l_threshold: \(c.dedup.rougeLThreshold)      # drop when ROUGE-L F1 reaches this
          refine: \(c.refine)                  # rewrite responses in a task-specific style

        """
    }

    private static var taxonomy: String {
        var text = "\n# Task categories and their target share of the training mix (must sum to 1).\ntaxonomy:\n"
        for category in TaskTaxonomy.tapirDefault.categories {
            text += "  - { name: \"\(category.name)\", target_share: \(category.targetShare) }\n"
        }
        return text
    }

    private static let rest = """

    # External fine-tuning command, run once per round (null: no training).
    # Placeholders: {data} training file, {data_dir} export folder with dataset_info.json,
    # {round}, {base} current student checkpoint, {output} checkpoint folder to write,
    # {workspace}. Example:
    #   command: "llamafactory-cli train --dataset_dir {data_dir} --dataset tapir_round_{round}_alpaca --model_name_or_path {base} --output_dir {output}"
    trainer:
      command: null
      student_after: null             # model the next round's student loads, e.g. "{output}/model.gguf" (null: keep)
      working_dir: null               # folder the command runs in (null: the workspace)
      env: {}                         # extra environment variables for the command

    # Spend limits in US dollars (null: none).
    budgets:
      run_usd: null
      round_usd: null

    # Reuse stored replies for identical LLM requests (never pay twice).
    cache:
      enabled: true

    dashboard:
      theme: "default"                # a theme file in themes/
      mouse: false                    # opt in to mouse support
      keys: {}                        # key overrides, action: key (e.g. approve: "y")

    logging:
      level: info                     # trace | debug | info | notice | warning | error | critical

    """
}
