import Foundation
import TapirCore
import TapirLLM
import TapirStore

/// The *expand* stage: the teacher writes new instructions from the round's hard seeds.
///
/// Requests are planned by `CategoryBalancer` (weighted toward categories below their
/// target share), each with 2–3 seeds of one category and the `expand` prompt; the new
/// instruction is read from `<instruction>…</instruction>`. Candidates are de-duplicated
/// against the whole workspace and the rejected expansions (exact and near matches with the
/// configured thresholds); duplicates are dropped, counted (round metric
/// `expansion_duplicates`) and logged. Unique ones enter the approval queue following
/// `curriculum.approval`: `manual` → pending, `auto` → approved, `auto-above-score` →
/// approved when the parent seed's difficulty value (its selection value) reaches
/// `approval_min_score`, else pending.
///
/// Budget: `curriculum.expansions_per_round` expansions proposed per round (any state).
/// One run makes one pass over the planned requests for what is left of the budget. The
/// outcome is `.waiting` while expansions of the round are pending approval.
public struct ExpandStage: StageRunner {
    public let stage = Stage.expand
    public var seed: UInt64
    public var sampling: SamplingParameters

    public init(seed: UInt64 = 0x5eed, sampling: SamplingParameters = SamplingParameters(temperature: 0.7, maxTokens: 512)) {
        self.seed = seed
        self.sampling = sampling
    }

    public func run(round: Int, context: EngineContext) async throws -> StageOutcome {
        let curriculum = context.config.curriculum
        let budget = curriculum.expansionsPerRound
        guard budget > 0 else { return .skipped(reason: "expansions_per_round is 0") }
        let store = context.store
        let proposed = try await store.read { try $0.expansionCounts(round: round).values.reduce(0, +) }
        if proposed >= budget { return try await outcome(round: round, store: store, summary: "budget of \(budget) reached") }
        guard let teacher = context.models.teacher else { return .skipped(reason: "no teacher model") }
        let policy = DedupPolicy(rougeLThreshold: curriculum.dedup.rougeLThreshold,
                                 ngramJaccardThreshold: curriculum.dedup.ngramThreshold)
        let (seeds, instructions, counts, deduplicator, rejected) = try await store.read { reader in
            let hard = try reader.selection(round: round).filter(\.hard)
            var instructions: [Int64: InstructionRecord] = [:]
            for record in try reader.instructions(ids: hard.map(\.instructionID)) where record.state == .active {
                if let id = record.id { instructions[id] = record }
            }
            let seeds = hard.compactMap { row -> CurriculumItem<Int64>? in
                guard let instruction = instructions[row.instructionID] else { return nil }
                return CurriculumItem(id: row.instructionID, category: instruction.category ?? TaskTaxonomy.fallbackCategory,
                                      isExpansion: instruction.source == .expansion, value: row.value)
            }
            var counts: [String: Int] = [:]
            for (category, n) in try reader.categoryCounts(.activeTrain) { counts[category ?? TaskTaxonomy.fallbackCategory, default: 0] += n }
            let rejected = try reader.expansions(state: .rejected, limit: Int.max / 2).compactMap { item -> (id: Int64, text: String)? in
                guard let id = item.instruction.id else { return nil }
                return (id, ExpansionDeduplicator.comparableText(item.instruction.text, item.instruction.input))
            } + reader.expansions(state: .rejected, limit: Int.max / 2).map {
                (id: $0.expansion.instructionID, text: $0.expansion.originalText)
            }
            return (seeds, instructions, counts, try ExpansionDeduplicator(policy: policy, reader: reader), rejected)
        }
        guard !seeds.isEmpty else { return .skipped(reason: "round \(round) has no hard seeds") }
        let upper = max(2, min(3, curriculum.expansionSeedsPerPrompt))
        let balancer = CategoryBalancer(taxonomy: context.config.taxonomy,
                                        seed: seed ^ (UInt64(round) &* 0x9e37_79b9_7f4a_7c15), seedsPerRequest: 2...upper)
        let requests = balancer.plan(budget: budget - proposed, hardSeeds: seeds, currentCounts: counts)
        let values = Dictionary(seeds.map { ($0.id, $0.value) }, uniquingKeysWith: max)
        let gate = ExpandDeduplicationGate(deduplicator: deduplicator, rejectedTexts: rejected, policy: policy)
        let added = ProgressCounter(done: proposed)
        let duplicates = ProgressCounter(done: 0)
        let unparseable = ProgressCounter(done: 0)
        let prompts = context.prompts
        let sampling = sampling
        let approval = curriculum.approval
        let minScore = curriculum.approvalMinScore
        try await store.write { try $0.updateProgress(round: round, stage: .expand, done: proposed, total: budget) }
        try await BoundedConcurrency.forEach(Array(requests.enumerated()), limit: context.concurrency) { index, request in
            let examples = request.seedIDs.compactMap { instructions[$0] }.map {
                TrainingExample(instruction: $0.text, input: $0.input, output: "").prompt
            }
            let messages = try prompts.render(.expand, values: ["category": .text(request.category), "examples": .list(examples)])
            var requestSampling = sampling
            requestSampling.seed = (sampling.seed ?? 0) &+ UInt64(round) &* 1000 &+ UInt64(index)
            let reply = try await teacher.complete(ChatRequest(
                messages: messages, sampling: requestSampling, purpose: CallPurpose(role: .teacher, stage: .expand, round: round)))
            guard let text = try? AnswerTagExtractor.extract(from: reply.text, tag: "instruction")
                .trimmingCharacters(in: .whitespacesAndNewlines), !text.isEmpty else {
                _ = await unparseable.increment()
                try await store.write { writer in
                    _ = try writer.log(.warning, source: "expand", "teacher reply without <instruction> (\(request.category)); dropped",
                                       round: round, stage: .expand)
                }
                return
            }
            let (verdict, nearest) = await gate.check(text)
            let parent = request.seedIDs.first
            switch verdict {
            case .unique:
                let autoApprove: Bool = switch approval {
                case .manual: false
                case .auto: true
                case .autoAboveScore: (parent.flatMap { values[$0] } ?? -.infinity) >= minScore
                }
                let done = await added.increment()
                let stored = try await store.write { writer -> Bool in
                    let item = try writer.addExpansion(
                        text: text, parentID: parent, round: round, category: request.category,
                        similarity: nearest.first?.similarity, nearestIDs: nearest.map(\.id).filter { $0 > 0 },
                        autoApprove: autoApprove)
                    try writer.updateProgress(round: round, stage: .expand, done: done, total: budget)
                    return item != nil
                }
                if !stored {
                    // The store's normalised-hash check caught it (e.g. a text of a pending one).
                    _ = await duplicates.increment()
                    await added.decrement()
                    try await store.write { writer in
                        _ = try writer.log(.info, source: "expand", "dropped a duplicate of a stored instruction (\(request.category))",
                                           round: round, stage: .expand)
                    }
                }
            case let .exactDuplicate(of: id), let .nearDuplicate(of: id, similarity: _):
                _ = await duplicates.increment()
                try await store.write { writer in
                    _ = try writer.log(.info, source: "expand", "dropped a duplicate of instruction \(id) (\(request.category))",
                                       round: round, stage: .expand)
                }
            }
        }
        let dropped = await duplicates.done
        let failed = await unparseable.done
        let total = await added.done
        try await store.write { writer in
            let previous = try writer.reader.round(round)?.metrics["expansion_duplicates"] ?? 0
            try writer.updateRoundMetrics(round: round, ["expansion_duplicates": previous + Double(dropped)])
        }
        return try await outcome(round: round, store: store,
                                 summary: "\(total - proposed) proposed, \(dropped) duplicates dropped, \(failed) unparseable")
    }

    private func outcome(round: Int, store: WorkspaceStore, summary: String) async throws -> StageOutcome {
        let pending = try await store.read { try $0.expansionCounts(round: round)[.pending] ?? 0 }
        if pending > 0 { return .waiting(reason: "\(pending) expansions of round \(round) pending approval (\(summary))") }
        return .completed(summary: summary)
    }
}
