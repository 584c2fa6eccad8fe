import Foundation
import TapirCore
import TapirLLM
import TapirStore

/// The *expand* stage: the teacher writes new instructions from the round's hard seeds.
///
/// Requests are planned by `CategoryBalancer` (weighted toward categories below their
/// target share), each with 2–3 seeds of one category and the `expand` prompt; the new
/// instruction is read from `<instruction>…</instruction>` (leniently from a small model's
/// untagged reply, `ExpansionReply`; such a candidate is never approved automatically).
/// Candidates are de-duplicated
/// against the whole workspace and the rejected expansions (exact and near matches with the
/// configured thresholds); duplicates are dropped, counted (round metric
/// `expansion_duplicates`) and logged. Unique ones enter the approval queue following
/// `curriculum.approval`: `manual` → pending, `auto` → approved, `auto-above-score` →
/// approved when the parent seed's difficulty value (its selection value) reaches
/// `approval_min_score`, else pending.
///
/// Budget: `curriculum.expansions_per_round` requests per round, planned once: the plan
/// depends only on the round's selection and on the workspace without this round's
/// expansions, so a restarted run plans the same requests. Replies are fetched concurrently;
/// each new instruction is checked against the workspace as soon as it arrives
/// (`ExpandDeduplicationGate.precheck`), then applied (checked against the candidates
/// accepted before it, stored) strictly in plan order: the replies ready in order are
/// applied in one transaction with the round metric `expansion_requests_done`; a rerun skips
/// the applied ones and gets the replies of the others from the call cache, so an
/// interrupted stage ends exactly as an uninterrupted one. The outcome is `.waiting` while expansions of the round are pending
/// approval.
///
/// A request whose model call fails (after the client's retries) is recorded as an error
/// event naming the request and reason, and listed in the round metrics
/// (`expansion_request_failed:<index>`); the other requests go on. The stage then fails
/// (`StageItemFailures`) with everything else applied, and a rerun asks again for exactly
/// the failed requests. A retried request is de-duplicated against everything stored by
/// then, so its nearest-neighbour list (and which of two near duplicates is kept) may differ
/// from an uninterrupted run's; interruptions (a kill, cancellation) keep the exact equality.
public struct ExpandStage: StageRunner {
    public let stage = Stage.expand
    public var seed: UInt64
    public var sampling: SamplingParameters

    /// Round metric: how many of the round's planned requests have been settled in plan
    /// order (applied, or failed and listed under `requestFailedMetricPrefix`).
    static let requestsDoneMetric = "expansion_requests_done"
    /// Round metric prefix: `expansion_request_failed:<index>` is 1 while planned request
    /// `index` has failed (its model call) and not been retried successfully, else 0.
    static let requestFailedMetricPrefix = "expansion_request_failed:"

    /// The planned requests whose model call failed and that still wait for a retry.
    static func failedRequests(_ metrics: [String: Double]) -> Set<Int> {
        Set(metrics.compactMap { key, value in
            guard value > 0, key.hasPrefix(requestFailedMetricPrefix) else { return nil }
            return Int(key.dropFirst(requestFailedMetricPrefix.count))
        })
    }

    public init(seed: UInt64 = 0x5eed, sampling: SamplingParameters = SamplingParameters(temperature: 0.7, maxTokens: 512)) {
        self.seed = seed
        self.sampling = sampling
    }

    public func run(round: Int, context: EngineContext) async throws -> StageOutcome {
        let curriculum = context.config.curriculum
        let budget = curriculum.expansionsPerRound
        guard budget > 0 else { return .skipped(reason: "expansions_per_round is 0") }
        let store = context.store
        let (applied, retries, proposed) = try await store.read { reader in
            let metrics = try reader.round(round)?.metrics ?? [:]
            return (Int(metrics[Self.requestsDoneMetric] ?? 0), Self.failedRequests(metrics),
                    try reader.expansionCounts(round: round).values.reduce(0, +))
        }
        // Expansions of the round stored by other means (the dashboard) count toward the budget too.
        if retries.isEmpty && (applied >= budget || proposed >= budget) { return try await outcome(round: round, store: store, summary: "budget of \(budget) reached") }
        guard let teacher = context.models.teacher else { return .skipped(reason: "no teacher model") }
        let policy = DedupPolicy(rougeLThreshold: curriculum.dedup.rougeLThreshold,
                                 ngramJaccardThreshold: curriculum.dedup.ngramThreshold)
        // The de-duplication index over the whole workspace is built while the first
        // requests are in flight; replies are prechecked against it as they arrive.
        let gateTask = Task {
            try await store.read { reader in
                // Their texts, then their original texts (as proposed, before an edit).
                let items = try reader.expansions(state: .rejected, limit: Int.max / 2)
                let rejected = items.compactMap { item -> (id: Int64, text: String)? in
                    guard let id = item.instruction.id else { return nil }
                    return (id, ExpansionDeduplicator.comparableText(item.instruction.text, item.instruction.input))
                } + items.map { (id: $0.expansion.instructionID, text: $0.expansion.originalText) }
                return ExpandDeduplicationGate(workspace: try ExpansionDeduplicator.workspaceIndex(reader: reader),
                                               rejectedTexts: rejected, policy: policy)
            }
        }
        defer { gateTask.cancel() }
        let (seeds, instructions, counts) = try await store.read { reader in
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
            // Category counts without this round's own expansions, so the plan is the same
            // before and after some of them were stored (and auto-approved).
            var counts: [String: Int] = [:]
            for (category, n) in try reader.categoryCounts(.activeTrain) { counts[category ?? TaskTaxonomy.fallbackCategory, default: 0] += n }
            for item in try reader.expansions(state: .approved, round: round, limit: Int.max / 2) {
                let category = item.instruction.category ?? TaskTaxonomy.fallbackCategory
                if item.instruction.state == .active, item.instruction.split == .train { counts[category, default: 0] -= 1 }
            }
            return (seeds, instructions, counts)
        }
        guard !seeds.isEmpty else { return .skipped(reason: "round \(round) has no hard seeds") }
        let upper = max(2, min(3, curriculum.expansionSeedsPerPrompt))
        let balancer = CategoryBalancer(taxonomy: context.config.taxonomy,
                                        seed: seed ^ (UInt64(round) &* 0x9e37_79b9_7f4a_7c15), seedsPerRequest: 2...upper)
        let plan = balancer.plan(budget: budget, hardSeeds: seeds, currentCounts: counts)
        let values = Dictionary(seeds.map { ($0.id, $0.value) }, uniquingKeysWith: max)
        let prompts = context.prompts
        let sampling = sampling
        let approval = curriculum.approval
        let minScore = curriculum.approvalMinScore
        // The failed requests of earlier runs, then the ones never asked, in plan order.
        let requests = Array(plan.enumerated()).filter { $0.offset >= applied || retries.contains($0.offset) }
        try await store.write {
            try $0.updateProgress(round: round, stage: .expand, done: min(applied, plan.count) - retries.count, total: plan.count)
        }

        /// Asks the teacher for request `index`; the new instruction, or nil when the reply
        /// holds none.
        @Sendable func ask(_ index: Int, _ request: ExpansionRequest<Int64>) async throws -> ExpansionReply? {
            let examples = request.seedIDs.compactMap { instructions[$0] }.map {
                TrainingExample(instruction: $0.text, input: $0.input, output: "").prompt
            }
            let messages = try prompts.render(.expand, values: ["category": .text(request.category), "examples": .list(examples)])
            var requestSampling = sampling
            requestSampling.seed = (sampling.seed ?? 0) &+ UInt64(round) &* 1000 &+ UInt64(index)
            let reply = try await teacher.complete(ChatRequest(
                messages: messages, sampling: requestSampling, purpose: CallPurpose(role: .teacher, stage: .expand, round: round)))
            return ExpansionReply.parse(reply.text)
        }

        /// Asks for request `index`; a failure that concerns this request only (timeout,
        /// HTTP error after the client's retries) is returned, stop errors are thrown.
        @Sendable func attempt(_ index: Int, _ request: ExpansionRequest<Int64>) async throws -> Answer {
            do {
                return try await ask(index, request).map { .instruction($0) } ?? .none
            } catch where InstructionWorkLoop.isPerItem(error) && !Task.isCancelled {
                return .failed(String(describing: error))
            }
        }

        var added = 0, dropped = 0, failed = 0
        var failures: [(index: Int, message: String)] = []
        /// Records that request `index`'s model call failed: an error event naming it, and
        /// the request listed for the next run.
        func fail(_ index: Int, _ request: ExpansionRequest<Int64>, _ message: String) async throws {
            failures.append((index, message))
            try await Task {
                try await store.write { writer in
                    _ = try writer.log(.error, source: "expand",
                                       "expansion request \(index) (\(request.category)): \(message); the next run asks again",
                                       round: round, stage: .expand)
                    let metrics = try writer.reader.round(round)?.metrics ?? [:]
                    var update = [Self.requestFailedMetricPrefix + String(index): 1.0]
                    update[Self.requestsDoneMetric] = Double(max(index + 1, Int(metrics[Self.requestsDoneMetric] ?? 0)))
                    try writer.updateRoundMetrics(round: round, update)
                    try writer.updateProgress(round: round, stage: .expand, done: Self.settled(update, metrics), total: plan.count)
                }
            }.value
        }

        /// Outcome of one applied candidate.
        enum Applied { case unparseable, stored, duplicate }

        /// De-duplicates and stores a run of consecutive requests' candidates in plan order,
        /// marking each request applied, in one transaction: each candidate is checked right
        /// before it is written, so it sees every candidate stored before it, as when they are
        /// applied one at a time.
        func apply(_ run: [(index: Int, request: ExpansionRequest<Int64>, candidate: Candidate?)]) async throws {
            let gate = try await gateTask.value
            // Saved in a task of its own: the store refuses writes from a cancelled task.
            let outcomes = try await Task {
                try await store.write { writer -> [Applied] in
                    var outcomes: [Applied] = []
                    let metrics = try writer.reader.round(round)?.metrics ?? [:]
                    var update: [String: Double] = [:]
                    for (index, request, candidate) in run {
                        let text = candidate?.text
                        let checked = candidate.map { gate.check($0.text, precheck: $0.precheck) }
                        let parent = request.seedIDs.first
                        // An instruction read from an untagged reply always waits for a reviewer.
                        let policyApproves: Bool = switch approval {
                        case .manual: false
                        case .auto: true
                        case .autoAboveScore: (parent.flatMap { values[$0] } ?? -.infinity) >= minScore
                        }
                        let autoApprove = policyApproves && candidate?.tagged == true
                        var stored: Int64?
                        switch checked?.verdict {
                        case nil:
                            _ = try writer.log(.warning, source: "expand", "teacher reply without <instruction> (\(request.category)); dropped",
                                               round: round, stage: .expand)
                        case .unique:
                            let nearest = checked?.nearest ?? []
                            if let text, let item = try writer.addExpansion(
                                text: text, parentID: parent, round: round, category: request.category,
                                similarity: nearest.first?.similarity, nearestIDs: nearest.map(\.id).filter { $0 > 0 },
                                autoApprove: autoApprove) {
                                stored = item.instruction.id
                                if candidate?.tagged == false {
                                    _ = try writer.log(.info, source: "expand",
                                                       "teacher reply without <instruction> tags (\(request.category)); its first paragraph waits for review",
                                                       round: round, stage: .expand)
                                }
                            } else {
                                // The store's normalised-hash check caught it (e.g. a text of a pending one).
                                _ = try writer.log(.info, source: "expand", "dropped a duplicate of a stored instruction (\(request.category))",
                                                   round: round, stage: .expand)
                            }
                        case let .exactDuplicate(of: id), let .nearDuplicate(of: id, similarity: _):
                            _ = try writer.log(.info, source: "expand", "dropped a duplicate of instruction \(id) (\(request.category))",
                                               round: round, stage: .expand)
                        }
                        // The run's metric changes, as if merged after each candidate.
                        let current = metrics.merging(update) { _, new in new }
                        update[Self.requestsDoneMetric] = Double(max(index + 1, Int(current[Self.requestsDoneMetric] ?? 0)))
                        if current[Self.requestFailedMetricPrefix + String(index)] != nil {
                            update[Self.requestFailedMetricPrefix + String(index)] = 0
                        }
                        if checked != nil, stored == nil {
                            update["expansion_duplicates"] = (current["expansion_duplicates"] ?? 0) + 1
                        }
                        if let provisionalID = checked?.provisionalID, let stored { gate.stored(provisionalID: provisionalID, as: stored) }
                        outcomes.append(checked == nil ? .unparseable : stored != nil ? .stored : .duplicate)
                    }
                    try writer.updateRoundMetrics(round: round, update)
                    try writer.updateProgress(round: round, stage: .expand, done: Self.settled(update, metrics), total: plan.count)
                    return outcomes
                }
            }.value
            for outcome in outcomes {
                switch outcome {
                case .unparseable: failed += 1
                case .stored: added += 1
                case .duplicate: dropped += 1
                }
            }
        }

        // Replies arrive in any order; they are applied in plan order. A task of its own keeps
        // `concurrency` requests in flight while the replies are applied. Replies wait in an
        // inbox; the stream only wakes the applier, which takes everything that arrived while
        // it was writing, so a busy applier writes longer runs, not more transactions.
        var next = requests.startIndex
        var ready: [Int: Reply] = [:]
        let inbox = ReplyInbox()
        let (arrivals, sink) = AsyncThrowingStream.makeStream(of: Void.self)
        let concurrency = max(1, context.concurrency)
        try await withThrowingTaskGroup(of: Void.self) { requester in
            requester.addTask {
                do {
                    // Each new instruction is prechecked against the workspace in a task of
                    // its own, while the next request takes its place in flight.
                    try await withThrowingTaskGroup(of: (index: Int, answer: Answer)?.self) { group in
                        var iterator = requests.makeIterator()
                        for _ in 0..<concurrency {
                            guard let item = iterator.next() else { break }
                            group.addTask { (item.offset, try await attempt(item.offset, item.element)) }
                        }
                        while let finished = try await group.next() {
                            // nil: a precheck, already in the inbox.
                            guard let (index, answer) = finished else { continue }
                            if let item = iterator.next() {
                                group.addTask { (item.offset, try await attempt(item.offset, item.element)) }
                            }
                            switch answer {
                            case let .instruction(found):
                                group.addTask {
                                    let precheck = try await gateTask.value.precheck(found.text)
                                    inbox.put(index, .candidate(Candidate(text: found.text, tagged: found.tagged, precheck: precheck)))
                                    sink.yield()
                                    return nil
                                }
                            case .none:
                                inbox.put(index, .unparseable)
                                sink.yield()
                            case let .failed(message):
                                inbox.put(index, .failed(message))
                                sink.yield()
                            }
                        }
                    }
                    sink.finish()
                } catch {
                    sink.finish(throwing: error)
                }
            }
            for try await _ in arrivals {
                for (index, reply) in inbox.takeAll() { ready[index] = reply }
                // The ready replies next in plan order: runs of candidates in one transaction each.
                var run: [(index: Int, request: ExpansionRequest<Int64>, candidate: Candidate?)] = []
                while next < requests.endIndex, let reply = ready.removeValue(forKey: requests[next].offset) {
                    let (position, request) = requests[next]
                    switch reply {
                    case let .candidate(candidate):
                        run.append((position, request, candidate))
                    case .unparseable:
                        run.append((position, request, nil))
                    case let .failed(message):
                        if !run.isEmpty { try await apply(run) }
                        run = []
                        try await fail(position, request, message)
                    }
                    next += 1
                }
                if !run.isEmpty { try await apply(run) }
                try Task.checkCancellation()
            }
            // A cancelled stage ends the stream early: not an outcome.
            try Task.checkCancellation()
            try await requester.waitForAll()
        }
        if let first = failures.first {
            throw StageItemFailures(stage: .expand, round: round, failed: failures.count, finished: added + dropped + failed,
                                    firstInstructionID: Int64(first.index), firstError: first.message,
                                    detail: "\(added) proposed, \(dropped) duplicates dropped, \(failed) unparseable",
                                    item: "expansion request")
        }
        return try await outcome(round: round, store: store,
                                 summary: "\(added) proposed, \(dropped) duplicates dropped, \(failed) unparseable")
    }

    /// What the teacher answered to one request: a new instruction, none, or the reason its
    /// model call failed.
    enum Answer: Sendable {
        case instruction(ExpansionReply)
        case none
        case failed(String)
    }

    /// One request's reply as the applier takes it: the new instruction prechecked against
    /// the workspace, no instruction in the reply, or the reason its model call failed.
    enum Reply: Sendable {
        case candidate(Candidate)
        case unparseable
        case failed(String)
    }

    /// Replies waiting for the applier.
    final class ReplyInbox: @unchecked Sendable {
        private let lock = NSLock()
        private var replies: [(Int, Reply)] = []

        func put(_ index: Int, _ reply: Reply) {
            lock.withLock { replies.append((index, reply)) }
        }

        func takeAll() -> [(Int, Reply)] {
            lock.withLock {
                defer { replies.removeAll(keepingCapacity: true) }
                return replies
            }
        }
    }

    /// A reply's new instruction, prechecked.
    struct Candidate: Sendable {
        var text: String
        /// False: read leniently from an untagged reply (`ExpansionReply`).
        var tagged: Bool
        var precheck: ExpandDeduplicationGate.Precheck
    }

    /// Requests settled successfully once `update` is merged into `metrics`: the settled
    /// prefix minus the ones still failed.
    static func settled(_ update: [String: Double], _ metrics: [String: Double]) -> Int {
        let merged = metrics.merging(update) { _, new in new }
        return Int(merged[requestsDoneMetric] ?? 0) - failedRequests(merged).count
    }

    private func outcome(round: Int, store: WorkspaceStore, summary: String) async throws -> StageOutcome {
        let pending = try await store.read { try $0.expansionCounts(round: round)[.pending] ?? 0 }
        if pending > 0 { return .waiting(reason: "\(pending) expansions of round \(round) pending approval (\(summary))") }
        return .completed(summary: summary)
    }
}
