import Foundation
import GRDB
import TapirCore

/// Typed writes inside one transaction. Obtain one from `WorkspaceStore.write`.
public struct StoreWriter {
    let db: Database
    /// The owning store's call-cache filter, told of every successful call recorded.
    let callCache: CallCacheFilter?

    init(db: Database, callCache: CallCacheFilter? = nil) {
        self.db = db
        self.callCache = callCache
    }

    /// Reads within the same transaction.
    public var reader: StoreReader { StoreReader(db: db) }

    // MARK: - Instructions

    /// Inserts `record` unless an instruction with the same normalised text exists;
    /// returns the stored record, or `nil` for a duplicate.
    public func insertInstruction(_ record: InstructionRecord) throws -> InstructionRecord? {
        var record = record
        try record.insert(db, onConflict: .ignore)
        return db.changesCount > 0 && record.id != nil ? record : nil
    }

    /// Sets a category. A `.model` label never replaces a `.dataset` label.
    public func setCategory(instructionID: Int64, category: String, source: CategorySource) throws {
        // Once per classified instruction: cached statements, prepared once per connection.
        if source == .dataset {
            try db.cachedStatement(sql: "UPDATE instructions SET category = ?, category_source = 'dataset' WHERE id = ?")
                .execute(arguments: [category, instructionID])
        } else {
            try db.cachedStatement(sql: """
                UPDATE instructions SET category = ?, category_source = 'model'
                WHERE id = ? AND (category_source IS NULL OR category_source != 'dataset')
                """).execute(arguments: [category, instructionID])
        }
    }

    /// Sets many categories at once (same rule as `setCategory`).
    public func setCategories(_ labels: [(instructionID: Int64, category: String)], source: CategorySource) throws {
        for label in labels { try setCategory(instructionID: label.instructionID, category: label.category, source: source) }
    }

    public func setState(instructionID: Int64, state: InstructionState) throws {
        try db.execute(sql: "UPDATE instructions SET state = ? WHERE id = ?", arguments: [state.rawValue, instructionID])
    }

    // MARK: - Responses, judgements, difficulty, selection

    /// Inserts or replaces the response for (instruction, role, round); returns it with its id.
    @discardableResult
    public func saveResponse(_ response: ResponseRecord) throws -> ResponseRecord {
        // Once per answered instruction: one cached upsert statement that returns the row id
        // (a replaced row keeps its id), not the record's Codable encoding and a fresh prepare.
        var response = response
        response.id = try Int64.fetchOne(db.cachedStatement(sql: """
            INSERT INTO responses (instruction_id, role, round, model, text, prompt_tokens, completion_tokens, latency,
                origin, created_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (instruction_id, role, round) DO UPDATE SET model = excluded.model, text = excluded.text,
                prompt_tokens = excluded.prompt_tokens, completion_tokens = excluded.completion_tokens,
                latency = excluded.latency, origin = excluded.origin, created_at = excluded.created_at
            RETURNING id
            """), arguments: [
                response.instructionID, response.role.rawValue, response.round, response.model, response.text,
                response.promptTokens, response.completionTokens, response.latency, response.origin, response.createdAt,
            ])
        return response
    }

    /// Saves many responses (each inserted or replaced as by `saveResponse`).
    @discardableResult
    public func saveResponses(_ responses: [ResponseRecord]) throws -> [ResponseRecord] {
        try responses.map { try saveResponse($0) }
    }

    /// Inserts or replaces the judgement for (instruction, round).
    @discardableResult
    public func saveJudgement(_ judgement: JudgementRecord) throws -> JudgementRecord {
        // Once per judged instruction: a cached upsert statement returning the row id.
        var judgement = judgement
        judgement.id = try Int64.fetchOne(db.cachedStatement(sql: """
            INSERT INTO judgements (instruction_id, round, teacher_score_ab, student_score_ab, teacher_score_ba,
                student_score_ba, mfd, rationale, judge_model, status, error, created_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (instruction_id, round) DO UPDATE SET teacher_score_ab = excluded.teacher_score_ab,
                student_score_ab = excluded.student_score_ab, teacher_score_ba = excluded.teacher_score_ba,
                student_score_ba = excluded.student_score_ba, mfd = excluded.mfd, rationale = excluded.rationale,
                judge_model = excluded.judge_model, status = excluded.status, error = excluded.error,
                created_at = excluded.created_at
            RETURNING id
            """), arguments: [
                judgement.instructionID, judgement.round, judgement.teacherScoreAB, judgement.studentScoreAB,
                judgement.teacherScoreBA, judgement.studentScoreBA, judgement.mfd, judgement.rationale,
                judgement.judgeModel, judgement.status.rawValue, judgement.error, judgement.createdAt,
            ])
        return judgement
    }

    /// Inserts or replaces each (instruction, round, kind) value.
    public func saveDifficulties(_ records: [DifficultyRecord]) throws {
        guard !records.isEmpty else { return }
        let statement = try db.cachedStatement(sql: """
            INSERT INTO difficulty (instruction_id, round, kind, value) VALUES (?, ?, ?, ?)
            ON CONFLICT (instruction_id, round, kind) DO UPDATE SET value = excluded.value
            """)
        for record in records {
            try statement.execute(arguments: [record.instructionID, record.round, record.kind.rawValue, record.value])
        }
    }

    /// Replaces `round`'s selection with `records` (all of which must be of that round).
    public func replaceSelection(round: Int, _ records: [SelectionRecord]) throws {
        try db.execute(sql: "DELETE FROM selection WHERE round = ?", arguments: [round])
        let statement = try db.cachedStatement(sql: "INSERT INTO selection (instruction_id, round, hard, value, delta) VALUES (?, ?, ?, ?, ?)")
        for record in records {
            try statement.execute(arguments: [record.instructionID, record.round, record.hard, record.value, record.delta])
        }
    }

    // MARK: - Rounds and progress

    public func saveRound(_ round: RoundRecord) throws {
        try round.upsert(db)
    }

    /// Moves a round to `stage` in `state`; starting the first stage stamps `started_at`.
    public func setRoundStage(round: Int, stage: Stage, state: StageState) throws {
        try db.execute(sql: """
            UPDATE rounds SET stage = ?, stage_state = ?, started_at = COALESCE(started_at, ?) WHERE number = ?
            """, arguments: [stage.rawValue, state.rawValue, Date(), round])
    }

    /// Marks a round finished with its win rate and metrics (merged into existing metrics).
    public func finishRound(round: Int, winRate: Double?, metrics: [String: Double] = [:]) throws {
        guard var record = try reader.round(round) else { throw StoreError.notFound(what: "round", id: Int64(round)) }
        record.finishedAt = Date()
        record.winRate = winRate ?? record.winRate
        record.metrics.merge(metrics) { _, new in new }
        record.stageState = .done
        try record.update(db)
    }

    /// Merges `metrics` into a round's metrics.
    public func updateRoundMetrics(round: Int, _ metrics: [String: Double]) throws {
        guard var record = try reader.round(round) else { throw StoreError.notFound(what: "round", id: Int64(round)) }
        record.metrics.merge(metrics) { _, new in new }
        try record.update(db)
    }

    /// Records progress of a stage; the first call stamps its start time.
    public func updateProgress(round: Int, stage: Stage, done: Int, total: Int) throws {
        let now = Date()
        try db.execute(sql: """
            INSERT INTO stage_progress (round, stage, done, total, started_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)
            ON CONFLICT (round, stage) DO UPDATE SET done = excluded.done, total = excluded.total, updated_at = excluded.updated_at
            """, arguments: [round, stage.rawValue, done, total, now, now])
    }

    // MARK: - Expansions

    /// Adds a teacher-written instruction to the approval queue (state `pending`, or
    /// `approved` when `autoApprove`). Returns `nil` when its normalised text is already
    /// stored.
    public func addExpansion(
        text: String, input: String = "", parentID: Int64?, round: Int, category: String?,
        split: DataSplit = .train, similarity: Double? = nil, nearestIDs: [Int64] = [], autoApprove: Bool = false
    ) throws -> ExpansionItem? {
        let instruction = InstructionRecord(
            text: text, input: input, source: .expansion, parentID: parentID, category: category,
            categorySource: category == nil ? nil : .model, split: split, state: autoApprove ? .active : .pending,
            createdRound: round)
        guard let stored = try insertInstruction(instruction), let id = stored.id else { return nil }
        let expansion = ExpansionRecord(
            instructionID: id, parentID: parentID, round: round, state: autoApprove ? .approved : .pending,
            originalText: text, similarity: similarity, nearestIDs: nearestIDs,
            reviewedAt: autoApprove ? Date() : nil)
        try expansion.insert(db)
        return ExpansionItem(expansion: expansion, instruction: stored)
    }

    /// Applies a reviewer's decision to a pending expansion: approve or edit makes the
    /// instruction `active`, reject makes it `rejected`. The original text stays in the queue.
    @discardableResult
    public func review(instructionID: Int64, decision: ExpansionDecision, note: String? = nil) throws -> ExpansionItem {
        guard var expansion = try reader.expansion(instructionID: instructionID),
              var instruction = try reader.instruction(id: instructionID)
        else { throw StoreError.notFound(what: "expansion", id: instructionID) }
        guard expansion.state == .pending else {
            throw StoreError.notPending(instructionID: instructionID, state: expansion.state.rawValue)
        }
        switch decision {
        case .approve:
            expansion.state = .approved
            instruction.state = .active
        case .reject:
            expansion.state = .rejected
            instruction.state = .rejected
        case let .edit(text):
            let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
            guard !trimmed.isEmpty else { throw StoreError.emptyText }
            let hash = InstructionFingerprint.hash(instruction: trimmed, input: instruction.input)
            if let other = try reader.instructionID(normHash: hash), other != instructionID {
                throw StoreError.duplicateText(existingID: other)
            }
            expansion.state = .edited
            instruction.text = trimmed
            instruction.normHash = hash
            instruction.state = .active
        }
        expansion.reviewerNote = note ?? expansion.reviewerNote
        expansion.reviewedAt = Date()
        try expansion.update(db)
        try instruction.update(db)
        return ExpansionItem(expansion: expansion, instruction: instruction)
    }

    // MARK: - LLM calls

    /// Appends one call that reached an endpoint to the ledger: every paid call is one row,
    /// even when the same request was answered before (a bypassed cache). A successful call
    /// becomes the cache entry of its request hash, replacing an older one.
    @discardableResult
    public func recordCall(_ call: LLMCallRecord) throws -> LLMCallRecord {
        // One row per model call: cached statements with plain arguments, not the record's
        // Codable encoding and a fresh prepare each time.
        var call = call
        try db.cachedStatement(sql: """
            INSERT INTO llm_calls (request_hash, role, stage, round, endpoint, model, status, response_text,
                finish_reason, prompt_tokens, completion_tokens, cost, latency, attempts, error, created_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """).execute(arguments: [
                call.requestHash, call.role.rawValue, call.stage?.rawValue, call.round, call.endpoint, call.model,
                call.status.rawValue, call.responseText, call.finishReason, call.promptTokens, call.completionTokens,
                call.cost, call.latency, call.attempts, call.error, call.createdAt,
            ])
        let id = db.lastInsertedRowID
        call.id = id
        if call.status == .ok, call.responseText != nil {
            try db.cachedStatement(sql: """
                INSERT INTO llm_cache (request_hash, call_id) VALUES (?, ?)
                ON CONFLICT(request_hash) DO UPDATE SET call_id = excluded.call_id
                """).execute(arguments: [call.requestHash, id])
            callCache?.note(call.requestHash)
        }
        return call
    }

    // MARK: - Role health

    /// Stores a role's health unless the stored row has the same or a newer revision
    /// (updates from concurrent calls may arrive out of order); returns whether it was stored.
    /// `reason` and `lastError` are cut to `RoleHealthRecord.maxTextLength`.
    @discardableResult
    public func updateRoleHealth(_ health: RoleHealthRecord) throws -> Bool {
        if let stored = try reader.roleHealth(role: health.role), stored.revision >= health.revision { return false }
        var health = health
        health.reason = RoleHealthRecord.short(health.reason)
        health.lastError = RoleHealthRecord.short(health.lastError)
        try health.save(db)
        return true
    }

    /// Clears the pause (and failure streak) of `roles`, or of every failing or paused role
    /// when nil; returns the roles that were paused before.
    @discardableResult
    public func resumeRoles(_ roles: [ModelRole]? = nil) throws -> [RoleHealthRecord] {
        var resumedPaused: [RoleHealthRecord] = []
        for var health in try reader.roleHealth() where health.state != .ok {
            if let roles, !roles.contains(health.role) { continue }
            if health.state == .paused { resumedPaused.append(health) }
            health.state = .ok
            health.reason = nil
            health.consecutiveFailures = 0
            health.revision += 1
            health.updatedAt = Date()
            try health.save(db)
        }
        return resumedPaused
    }

    // MARK: - Trainer

    /// Stores a started trainer run and returns it with its id.
    public func startTrainerRun(round: Int, command: String, logPath: String?, status: TrainerRunStatus = .running) throws -> TrainerRunRecord {
        var run = TrainerRunRecord(round: round, command: command, status: status, logPath: logPath)
        if status == .skipped { run.finishedAt = run.startedAt }
        try run.insert(db)
        return run
    }

    /// Records the process group of a started trainer run (see `TrainerRunRecord.pgid`).
    public func recordTrainerProcess(id: Int64, pid: Int32, pgid: Int32, startTicks: Int64?) throws {
        try db.execute(sql: "UPDATE trainer_runs SET pid = ?, pgid = ?, process_start_ticks = ? WHERE id = ?",
                       arguments: [pid, pgid, startTicks, id])
    }

    public func finishTrainerRun(id: Int64, status: TrainerRunStatus, exitCode: Int?, output: String?) throws {
        try db.execute(sql: "UPDATE trainer_runs SET status = ?, exit_code = ?, output = ?, finished_at = ? WHERE id = ?",
                       arguments: [status.rawValue, exitCode, output, Date(), id])
    }

    /// Adds loss points (a repeated step replaces the earlier value).
    public func appendLoss(_ points: [TrainerLossRecord]) throws {
        for point in points { try point.upsert(db) }
    }

    // MARK: - Compositions and evaluations

    /// Replaces `round`'s composed training set.
    public func replaceComposition(round: Int, _ records: [CompositionRecord]) throws {
        try db.execute(sql: "DELETE FROM compositions WHERE round = ?", arguments: [round])
        let statement = try db.cachedStatement(sql: """
            INSERT INTO compositions (round, instruction_id, repeat_index, response_id, hard, position) VALUES (?, ?, ?, ?, ?, ?)
            """)
        for record in records {
            try statement.execute(arguments: [record.round, record.instructionID, record.repeatIndex, record.responseID,
                                              record.hard, record.position])
        }
    }

    public func saveEvaluations(_ records: [EvaluationRecord]) throws {
        for record in records { try record.upsert(db) }
    }

    // MARK: - Events and control

    /// Stores an event. Messages often carry untrusted text (an endpoint's error reason, a
    /// trainer's output line), so escape sequences and other control characters are stored
    /// neutralised (`TerminalSanitizer`, line feeds and tabs kept): no reader of the events
    /// table can pass them to a terminal raw.
    @discardableResult
    public func log(_ level: EventLevel, source: String, _ message: String, round: Int? = nil, stage: Stage? = nil) throws -> EventRecord {
        var event = EventRecord(level: level, source: TerminalSanitizer.sanitize(source, options: .singleLine),
                                message: TerminalSanitizer.sanitize(message, options: .multiline), round: round, stage: stage)
        try event.insert(db)
        return event
    }

    /// Sets (or with `nil`, clears) a control value.
    public func setControl(_ key: ControlKey, _ value: String?) throws {
        if let value {
            try ControlRecord(key: key.rawValue, value: value).upsert(db)
        } else {
            try db.execute(sql: "DELETE FROM control WHERE key = ?", arguments: [key.rawValue])
        }
    }
}
