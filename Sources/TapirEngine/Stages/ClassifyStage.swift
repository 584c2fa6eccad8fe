import TapirCore
import TapirLLM
import TapirStore

/// Labels every active instruction (train and eval) that has no category yet.
///
/// Dataset labels win: labelled instructions are never planned. Otherwise the classifier
/// model answers the `classify` prompt; its `<answer>` is mapped onto the taxonomy and an
/// unreadable or unknown label becomes `TaskTaxonomy.fallbackCategory`. Without a classifier
/// model but with a student likelihood scorer, each category name is scored as the answer to
/// a short classification prompt and the lowest mean NLL wins. Labels are stored with
/// source `.model`.
public struct ClassifyStage: StageRunner {
    public var stage: Stage { .classify }

    public init() {}

    public func run(round: Int, context: EngineContext) async throws -> StageOutcome {
        let taxonomy = context.config.taxonomy
        let classifier = context.models.classifier
        let scorer = context.models.studentScorer
        guard classifier != nil || scorer != nil else {
            throw StageSetupError.missingModel(
                stage: .classify, role: .classifier, hint: "set roles.classifier, or run the student natively")
        }
        let planner = StageWorkPlanner(curriculum: context.config.curriculum)
        let work = try await context.store.read { try planner.work(.classify, round: round, reader: $0) }
        let instructions = StageInputs(ids: work.pendingIDs, store: context.store, first: 2 * context.concurrency) { reader, ids in
            Dictionary(uniqueKeysWithValues: try reader.instructions(ids: ids).compactMap { record in record.id.map { ($0, record) } })
        }
        defer { instructions.cancel() }
        let prompts = context.prompts
        let sampling = context.config.roles.classifier.sampling
        let loop = InstructionWorkLoop(store: context.store, stage: .classify, round: round, limit: context.concurrency)
        let labelled = try await loop.run(
            ids: work.pendingIDs, alreadyDone: work.done, total: work.total,
            work: { id -> Label? in
                guard let instruction = try await instructions.input(for: id) else { return nil }
                let category: String
                if let classifier {
                    category = try await Self.classify(
                        instruction.userPrompt, classifier: classifier, taxonomy: taxonomy, prompts: prompts,
                        sampling: sampling, round: round)
                } else if let scorer {
                    category = try await Self.classifyByLikelihood(instruction.userPrompt, scorer: scorer, taxonomy: taxonomy)
                } else {
                    return nil
                }
                return Label(instructionID: id, category: category)
            },
            persist: { writer, labels in
                try writer.setCategories(labels.map { ($0.instructionID, $0.category) }, source: .model)
            })
        let method = classifier == nil ? "label likelihood" : "classifier"
        return .completed(summary: "labelled \(labelled) instruction(s) by \(method); \(work.total) active")
    }

    /// One instruction's label.
    struct Label: Sendable {
        var instructionID: Int64
        var category: String
    }

    /// The classifier's category for `prompt`, mapped onto the taxonomy (unknown → fallback).
    static func classify(
        _ prompt: String, classifier: any ChatModel, taxonomy: TaskTaxonomy, prompts: PromptLibrary,
        sampling: SamplingParameters, round: Int
    ) async throws -> String {
        let list = taxonomy.names.map { "- \($0)" }.joined(separator: "\n")
        let messages = try prompts.render(.classify, values: ["categories": .text(list), "instruction": .text(prompt)])
        let reply = try await classifier.complete(ChatRequest(
            messages: messages, sampling: sampling, purpose: CallPurpose(role: .classifier, stage: .classify, round: round)))
        guard let label = try? AnswerTagExtractor.extract(from: reply.text) else { return TaskTaxonomy.fallbackCategory }
        return taxonomy.category(matching: label)?.name ?? TaskTaxonomy.fallbackCategory
    }

    /// The category whose name the student finds likeliest as the answer to a short
    /// classification prompt (lowest mean NLL; ties go to the earlier category).
    static func classifyByLikelihood(_ prompt: String, scorer: any LikelihoodScorer, taxonomy: TaskTaxonomy) async throws -> String {
        let question = ChatMessage.user("""
            Which task category does this instruction belong to? Answer with the category name only.

            Instruction: \(prompt)
            """)
        var best: (name: String, nll: Double)?
        for name in taxonomy.names {
            try Task.checkCancellation()
            let likelihood = try await scorer.likelihood(of: name, after: [question])
            guard likelihood.meanNLL.isFinite else { continue }
            if best == nil || likelihood.meanNLL < best!.nll { best = (name, likelihood.meanNLL) }
        }
        return best?.name ?? TaskTaxonomy.fallbackCategory
    }
}
