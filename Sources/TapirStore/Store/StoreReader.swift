import Foundation
import GRDB
import TapirCore

/// Typed read queries on one database snapshot. Obtain one from `WorkspaceStore.read`,
/// `StoreWriter.reader` or an observation closure.
public struct StoreReader {
    let db: Database

    init(db: Database) { self.db = db }

    // MARK: - Instructions

    public func instruction(id: Int64) throws -> InstructionRecord? {
        try InstructionRecord.fetchOne(db, key: id)
    }

    /// The instruction with this normalised-text hash, if stored.
    public func instructionID(normHash: String) throws -> Int64? {
        try Int64.fetchOne(db, sql: "SELECT id FROM instructions WHERE norm_hash = ?", arguments: [normHash])
    }

    /// Instructions matching `filter`, in `order`, paged by `limit` and `offset`.
    public func instructions(_ filter: InstructionFilter = .init(), order: InstructionOrder = .id,
                             limit: Int? = nil, offset: Int = 0) throws -> [InstructionRecord] {
        let (condition, arguments) = filter.sql()
        let orderBy = switch order {
        case .id: "i.id"
        case .newestFirst: "i.id DESC"
        case .category: "i.category, i.id"
        }
        var sql = "SELECT i.* FROM instructions i WHERE \(condition) ORDER BY \(orderBy)"
        if let limit { sql += " LIMIT \(max(0, limit)) OFFSET \(max(0, offset))" }
        return try InstructionRecord.fetchAll(db, sql: sql, arguments: arguments)
    }

    /// The instructions with these ids, in id order (missing ids are skipped).
    public func instructions(ids: [Int64]) throws -> [InstructionRecord] {
        try InstructionRecord.fetchAll(db, keys: ids).sorted { ($0.id ?? 0) < ($1.id ?? 0) }
    }

    public func instructionIDs(_ filter: InstructionFilter = .init()) throws -> [Int64] {
        let (condition, arguments) = filter.sql()
        return try Int64.fetchAll(db, sql: "SELECT i.id FROM instructions i WHERE \(condition) ORDER BY i.id", arguments: arguments)
    }

    /// Id and category (`nil`: uncategorised) of every instruction matching `filter`,
    /// without reading their texts.
    public func instructionCategories(_ filter: InstructionFilter = .init()) throws -> [(id: Int64, category: String?)] {
        let (condition, arguments) = filter.sql()
        return try Row.fetchAll(db, sql: "SELECT i.id, i.category FROM instructions i WHERE \(condition) ORDER BY i.id",
                                arguments: arguments).map { (id: $0[0], category: $0[1]) }
    }

    public func instructionCount(_ filter: InstructionFilter = .init()) throws -> Int {
        let (condition, arguments) = filter.sql()
        return try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM instructions i WHERE \(condition)", arguments: arguments) ?? 0
    }

    /// Instructions written from `id` (expansions), oldest first.
    public func children(of id: Int64) throws -> [InstructionRecord] {
        try InstructionRecord.fetchAll(db, sql: "SELECT * FROM instructions WHERE parent_id = ? ORDER BY id", arguments: [id])
    }

    /// Instruction counts per category (`nil` key: uncategorised) among `filter`.
    public func categoryCounts(_ filter: InstructionFilter = .activeTrain) throws -> [String?: Int] {
        let (condition, arguments) = filter.sql()
        var result: [String?: Int] = [:]
        for row in try Row.fetchAll(db, sql: "SELECT i.category, COUNT(*) AS n FROM instructions i WHERE \(condition) GROUP BY i.category", arguments: arguments) {
            result[row["category"] as String?] = row["n"]
        }
        return result
    }

    /// `(id, text, input)` of every instruction that is not rejected, for similarity checks.
    public func instructionTexts() throws -> [(id: Int64, text: String, input: String)] {
        try Row.fetchAll(db, sql: "SELECT id, text, input FROM instructions WHERE state != 'rejected' ORDER BY id").map {
            (id: $0["id"], text: $0["text"], input: $0["input"])
        }
    }

    // MARK: - Responses

    public func responses(instructionID: Int64) throws -> [ResponseRecord] {
        try ResponseRecord.fetchAll(db, sql: "SELECT * FROM responses WHERE instruction_id = ? ORDER BY round, role", arguments: [instructionID])
    }

    public func response(instructionID: Int64, role: ResponseRole, round: Int) throws -> ResponseRecord? {
        // Asked once per instruction by the stages: a cached statement skips re-preparing it.
        try ResponseRecord.fetchOne(db.cachedStatement(sql: "SELECT * FROM responses WHERE instruction_id = ? AND role = ? AND round = ?"),
                                    arguments: [instructionID, role.rawValue, round])
    }

    public func response(id: Int64) throws -> ResponseRecord? {
        try ResponseRecord.fetchOne(db, key: id)
    }

    /// The texts of the given responses, by response id.
    public func responseTexts(ids: [Int64]) throws -> [Int64: String] {
        guard !ids.isEmpty else { return [:] }
        var texts: [Int64: String] = [:]
        texts.reserveCapacity(ids.count)
        for slice in Self.slices(ids) {
            let rows = try Row.fetchCursor(db, sql: "SELECT id, text FROM responses WHERE id IN (\(Self.placeholders(slice.count)))",
                                           arguments: StatementArguments(slice))
            while let row = try rows.next() { texts[row[0]] = row[1] }
        }
        return texts
    }

    /// All responses by `role` in `round`.
    public func responses(role: ResponseRole, round: Int) throws -> [ResponseRecord] {
        try ResponseRecord.fetchAll(db, sql: "SELECT * FROM responses WHERE role = ? AND round = ? ORDER BY instruction_id",
                                    arguments: [role.rawValue, round])
    }

    /// The `role` responses of `round` of the given instructions, by instruction.
    public func responses(role: ResponseRole, round: Int, instructionIDs: [Int64]) throws -> [Int64: ResponseRecord] {
        guard !instructionIDs.isEmpty else { return [:] }
        var result: [Int64: ResponseRecord] = [:]
        for slice in Self.slices(instructionIDs) {
            for response in try ResponseRecord.fetchAll(db, sql: """
                SELECT * FROM responses WHERE role = ? AND round = ? AND instruction_id IN (\(Self.placeholders(slice.count)))
                """, arguments: StatementArguments([role.rawValue, round] as [any DatabaseValueConvertible]) + StatementArguments(slice)) {
                result[response.instructionID] = response
            }
        }
        return result
    }

    /// For each of the given instructions that has one, its latest teacher response at or
    /// before `round`.
    public func teacherResponses(instructionIDs: [Int64], upToRound round: Int = .max) throws -> [Int64: ResponseRecord] {
        guard !instructionIDs.isEmpty else { return [:] }
        var result: [Int64: ResponseRecord] = [:]
        for slice in Self.slices(instructionIDs) {
            for response in try ResponseRecord.fetchAll(db, sql: """
                SELECT * FROM responses WHERE role = 'teacher' AND round <= ? AND instruction_id IN (\(Self.placeholders(slice.count)))
                ORDER BY instruction_id, round
                """, arguments: StatementArguments([round]) + StatementArguments(slice)) {
                result[response.instructionID] = response
            }
        }
        return result
    }

    /// `ids` in slices short enough for one statement's variables (SQLite allows 32,766).
    static func slices(_ ids: [Int64]) -> [ArraySlice<Int64>] {
        stride(from: 0, to: ids.count, by: 10_000).map { ids[$0..<min(ids.count, $0 + 10_000)] }
    }

    /// `?, ?, …` for an `IN` list of `count` values.
    static func placeholders(_ count: Int) -> String {
        Array(repeating: "?", count: count).joined(separator: ",")
    }

    /// The latest teacher response at or before `round` (dataset outputs are round 0).
    public func teacherResponse(instructionID: Int64, upToRound round: Int = .max) throws -> ResponseRecord? {
        try ResponseRecord.fetchOne(db.cachedStatement(sql: """
            SELECT * FROM responses WHERE instruction_id = ? AND role = 'teacher' AND round <= ?
            ORDER BY round DESC LIMIT 1
            """), arguments: [instructionID, round])
    }

    /// For every instruction with one, its latest teacher response at or before `round`.
    public func teacherResponses(upToRound round: Int = .max) throws -> [Int64: ResponseRecord] {
        var result: [Int64: ResponseRecord] = [:]
        for response in try ResponseRecord.fetchAll(db, sql: """
            SELECT * FROM responses WHERE role = 'teacher' AND round <= ? ORDER BY instruction_id, round
            """, arguments: [round]) {
            result[response.instructionID] = response
        }
        return result
    }

    /// The response to train on: the latest refined one, else the latest teacher one.
    public func bestResponse(instructionID: Int64, upToRound round: Int = .max) throws -> ResponseRecord? {
        try ResponseRecord.fetchOne(db.cachedStatement(sql: """
            SELECT * FROM responses WHERE instruction_id = ? AND role IN ('refined', 'teacher') AND round <= ?
            ORDER BY CASE role WHEN 'refined' THEN 0 ELSE 1 END, round DESC LIMIT 1
            """), arguments: [instructionID, round])
    }

    /// For every instruction with one, the id of its response to train on (as
    /// `bestResponse`: the latest refined one at or before `round`, else the latest teacher
    /// one), in one query instead of one per instruction.
    public func bestResponseIDs(upToRound round: Int = .max) throws -> [Int64: Int64] {
        var result: [Int64: Int64] = [:]
        // Ordered so that each instruction's best row comes first.
        let rows = try Row.fetchCursor(db, sql: """
            SELECT instruction_id, id FROM responses WHERE role IN ('refined', 'teacher') AND round <= ?
            ORDER BY instruction_id, CASE role WHEN 'refined' THEN 0 ELSE 1 END, round DESC
            """, arguments: [round])
        while let row = try rows.next() {
            let instruction: Int64 = row[0]
            if result[instruction] == nil { result[instruction] = row[1] }
        }
        return result
    }

    /// Instructions matching `filter` that have no `role` response for `round` yet (the
    /// work left of a resumable stage). For `.teacher`, any earlier teacher response counts.
    public func instructionIDsWithoutResponse(role: ResponseRole, round: Int, _ filter: InstructionFilter = .activeTrain) throws -> [Int64] {
        let (condition, arguments) = filter.sql()
        let roundCondition = role == .teacher ? "r.round <= :round" : "r.round = :round"
        var args = arguments
        args += ["role": role.rawValue, "round": round]
        return try Int64.fetchAll(db, sql: """
            SELECT i.id FROM instructions i WHERE \(condition) AND NOT EXISTS (
                SELECT 1 FROM responses r WHERE r.instruction_id = i.id AND r.role = :role AND \(roundCondition))
            ORDER BY i.id
            """, arguments: args)
    }

    /// Response counts per role.
    public func responseCounts() throws -> [ResponseRole: Int] {
        var result: [ResponseRole: Int] = [:]
        for row in try Row.fetchAll(db, sql: "SELECT role, COUNT(*) AS n FROM responses GROUP BY role") {
            if let role = ResponseRole(rawValue: row["role"]) { result[role] = row["n"] }
        }
        return result
    }

    // MARK: - Judgements, difficulty, selection

    public func judgement(instructionID: Int64, round: Int) throws -> JudgementRecord? {
        try JudgementRecord.fetchOne(db, sql: "SELECT * FROM judgements WHERE instruction_id = ? AND round = ?", arguments: [instructionID, round])
    }

    public func judgements(round: Int, status: JudgementStatus? = nil) throws -> [JudgementRecord] {
        if let status {
            return try JudgementRecord.fetchAll(db, sql: "SELECT * FROM judgements WHERE round = ? AND status = ? ORDER BY instruction_id",
                                                arguments: [round, status.rawValue])
        }
        return try JudgementRecord.fetchAll(db, sql: "SELECT * FROM judgements WHERE round = ? ORDER BY instruction_id", arguments: [round])
    }

    /// Instructions matching `filter` without a successful judgement in `round`.
    public func instructionIDsWithoutJudgement(round: Int, _ filter: InstructionFilter = .activeTrain) throws -> [Int64] {
        let (condition, arguments) = filter.sql()
        var args = arguments
        args += ["round": round]
        return try Int64.fetchAll(db, sql: """
            SELECT i.id FROM instructions i WHERE \(condition) AND NOT EXISTS (
                SELECT 1 FROM judgements j WHERE j.instruction_id = i.id AND j.round = :round AND j.status = 'ok')
            ORDER BY i.id
            """, arguments: args)
    }

    public func difficulty(instructionID: Int64, round: Int, kind: DifficultyKind) throws -> DifficultyRecord? {
        try DifficultyRecord.fetchOne(db, sql: "SELECT * FROM difficulty WHERE instruction_id = ? AND round = ? AND kind = ?",
                                      arguments: [instructionID, round, kind.rawValue])
    }

    public func difficulties(round: Int, kind: DifficultyKind) throws -> [DifficultyRecord] {
        try DifficultyRecord.fetchAll(db, sql: "SELECT * FROM difficulty WHERE round = ? AND kind = ? ORDER BY instruction_id",
                                      arguments: [round, kind.rawValue])
    }

    public func selection(round: Int) throws -> [SelectionRecord] {
        try SelectionRecord.fetchAll(db, sql: "SELECT * FROM selection WHERE round = ? ORDER BY instruction_id", arguments: [round])
    }

    /// Hard and total counts of `round`'s selection.
    public func selectionCounts(round: Int) throws -> (hard: Int, total: Int) {
        let row = try Row.fetchOne(db, sql: "SELECT COALESCE(SUM(hard), 0) AS hard, COUNT(*) AS total FROM selection WHERE round = ?", arguments: [round])
        return (row?["hard"] ?? 0, row?["total"] ?? 0)
    }

    /// The hard queue: hard instructions of `round`, hardest first, optionally one category.
    public func hardQueue(round: Int, category: String? = nil, limit: Int = 200, offset: Int = 0) throws -> [HardQueueItem] {
        var sql = """
            SELECT i.*, s.value AS selection_value FROM selection s JOIN instructions i ON i.id = s.instruction_id
            WHERE s.round = :round AND s.hard
            """
        var args: StatementArguments = ["round": round]
        if let category {
            sql += " AND i.category = :category"
            args += ["category": category]
        }
        sql += " ORDER BY s.value DESC, i.id LIMIT \(max(0, limit)) OFFSET \(max(0, offset))"
        return try Row.fetchAll(db, sql: sql, arguments: args).map {
            HardQueueItem(instruction: try InstructionRecord(row: $0), value: $0["selection_value"])
        }
    }

    /// Per category: how many of `round`'s selected instructions are hard, and how many in all.
    public func hardShareByCategory(round: Int) throws -> [String?: (hard: Int, total: Int)] {
        var result: [String?: (hard: Int, total: Int)] = [:]
        for row in try Row.fetchAll(db, sql: """
            SELECT i.category, SUM(s.hard) AS hard, COUNT(*) AS total FROM selection s
            JOIN instructions i ON i.id = s.instruction_id WHERE s.round = ? GROUP BY i.category
            """, arguments: [round]) {
            result[row["category"] as String?] = (row["hard"] ?? 0, row["total"] ?? 0)
        }
        return result
    }

    // MARK: - Rounds and progress

    public func rounds() throws -> [RoundRecord] {
        try RoundRecord.fetchAll(db, sql: "SELECT * FROM rounds ORDER BY number")
    }

    public func round(_ number: Int) throws -> RoundRecord? {
        try RoundRecord.fetchOne(db, key: number)
    }

    /// The highest-numbered round, if any started.
    public func latestRound() throws -> RoundRecord? {
        try RoundRecord.fetchOne(db, sql: "SELECT * FROM rounds ORDER BY number DESC LIMIT 1")
    }

    public func stageProgress(round: Int) throws -> [StageProgressRecord] {
        try StageProgressRecord.fetchAll(db, sql: "SELECT * FROM stage_progress WHERE round = ?", arguments: [round])
            .sorted { $0.stage < $1.stage }
    }

    public func stageProgress(round: Int, stage: Stage) throws -> StageProgressRecord? {
        try StageProgressRecord.fetchOne(db, sql: "SELECT * FROM stage_progress WHERE round = ? AND stage = ?", arguments: [round, stage.rawValue])
    }

    // MARK: - Expansions

    public func expansion(instructionID: Int64) throws -> ExpansionRecord? {
        try ExpansionRecord.fetchOne(db, key: instructionID)
    }

    /// Approval-queue entries with their instructions, oldest first.
    public func expansions(state: ExpansionState? = .pending, round: Int? = nil, limit: Int = 200, offset: Int = 0) throws -> [ExpansionItem] {
        var conditions = ["1"]
        var args = StatementArguments()
        if let state { conditions.append("e.state = :state"); args += ["state": state.rawValue] }
        if let round { conditions.append("e.round = :round"); args += ["round": round] }
        let rows = try Row.fetchAll(db, sql: """
            SELECT e.instruction_id FROM expansions e WHERE \(conditions.joined(separator: " AND "))
            ORDER BY e.created_at, e.instruction_id LIMIT \(max(0, limit)) OFFSET \(max(0, offset))
            """, arguments: args)
        return try rows.compactMap { row -> ExpansionItem? in
            let id: Int64 = row["instruction_id"]
            guard let expansion = try expansion(instructionID: id), let instruction = try instruction(id: id) else { return nil }
            return ExpansionItem(expansion: expansion, instruction: instruction)
        }
    }

    public func expansionCounts(round: Int? = nil) throws -> [ExpansionState: Int] {
        var result: [ExpansionState: Int] = [:]
        let rows = if let round {
            try Row.fetchAll(db, sql: "SELECT state, COUNT(*) AS n FROM expansions WHERE round = ? GROUP BY state", arguments: [round])
        } else {
            try Row.fetchAll(db, sql: "SELECT state, COUNT(*) AS n FROM expansions GROUP BY state")
        }
        for row in rows {
            if let state = ExpansionState(rawValue: row["state"]) { result[state] = row["n"] }
        }
        return result
    }

    // MARK: - LLM calls and the cost ledger

    /// The latest successful call for `requestHash` (the cache entry), if any.
    public func cachedCall(requestHash: String) throws -> LLMCallRecord? {
        // Asked before every model call: a cached statement skips re-preparing it each time.
        try LLMCallRecord.fetchOne(db.cachedStatement(sql: """
            SELECT llm_calls.* FROM llm_cache JOIN llm_calls ON llm_calls.id = llm_cache.call_id
            WHERE llm_cache.request_hash = ?
            """), arguments: [requestHash])
    }

    /// Number of request hashes the cache answers.
    public func cachedRequestCount() throws -> Int {
        try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM llm_cache") ?? 0
    }

    /// Totals grouped by role, stage and round.
    public func ledger() throws -> [LedgerRow] {
        try Row.fetchAll(db, sql: """
            SELECT role, stage, round, COUNT(*) AS calls, SUM(status = 'error') AS errors,
                   SUM(prompt_tokens) AS pt, SUM(completion_tokens) AS ct, SUM(cost) AS cost, SUM(latency) AS latency
            FROM llm_calls GROUP BY role, stage, round ORDER BY round, stage, role
            """).compactMap { row in
            guard let role = ModelRole(rawValue: row["role"]) else { return nil }
            return LedgerRow(
                role: role, stage: (row["stage"] as String?).flatMap(Stage.init(rawValue:)), round: row["round"],
                calls: row["calls"], errors: row["errors"] ?? 0, promptTokens: row["pt"] ?? 0,
                completionTokens: row["ct"] ?? 0, cost: row["cost"] ?? 0, latency: row["latency"] ?? 0)
        }
    }

    /// Money spent, in all or in one round.
    public func totalCost(round: Int? = nil) throws -> Double {
        if let round {
            return try Double.fetchOne(db, sql: "SELECT COALESCE(SUM(cost), 0) FROM llm_calls WHERE round = ?", arguments: [round]) ?? 0
        }
        return try Double.fetchOne(db, sql: "SELECT COALESCE(SUM(cost), 0) FROM llm_calls") ?? 0
    }

    /// The most recent calls, newest first.
    public func recentCalls(limit: Int = 100) throws -> [LLMCallRecord] {
        try LLMCallRecord.fetchAll(db, sql: "SELECT * FROM llm_calls ORDER BY id DESC LIMIT ?", arguments: [limit])
    }

    // MARK: - Role health

    /// The stored health of every endpoint role that has made calls, paused roles first.
    public func roleHealth() throws -> [RoleHealthRecord] {
        try RoleHealthRecord.fetchAll(db, sql: """
            SELECT * FROM role_health
            ORDER BY CASE state WHEN 'paused' THEN 0 WHEN 'failing' THEN 1 ELSE 2 END, role
            """)
    }

    /// The stored health of `role`, if it was ever recorded.
    public func roleHealth(role: ModelRole) throws -> RoleHealthRecord? {
        try RoleHealthRecord.fetchOne(db, sql: "SELECT * FROM role_health WHERE role = ?", arguments: [role.rawValue])
    }

    // MARK: - Trainer

    public func trainerRuns(round: Int? = nil) throws -> [TrainerRunRecord] {
        if let round {
            return try TrainerRunRecord.fetchAll(db, sql: "SELECT * FROM trainer_runs WHERE round = ? ORDER BY id", arguments: [round])
        }
        return try TrainerRunRecord.fetchAll(db, sql: "SELECT * FROM trainer_runs ORDER BY id")
    }

    public func trainerRun(id: Int64) throws -> TrainerRunRecord? {
        try TrainerRunRecord.fetchOne(db, key: id)
    }

    public func loss(runID: Int64) throws -> [TrainerLossRecord] {
        try TrainerLossRecord.fetchAll(db, sql: "SELECT * FROM trainer_loss WHERE run_id = ? ORDER BY step", arguments: [runID])
    }

    // MARK: - Compositions and training sets

    public func composition(round: Int) throws -> [CompositionRecord] {
        try CompositionRecord.fetchAll(db, sql: "SELECT * FROM compositions WHERE round = ? ORDER BY position", arguments: [round])
    }

    /// The highest round with a composed training set.
    public func latestComposedRound() throws -> Int? {
        try Int.fetchOne(db, sql: "SELECT MAX(round) FROM compositions")
    }

    /// The composed training set of `round`, in order.
    public func trainingExamples(round: Int) throws -> [TrainingExample] {
        try Row.fetchAll(db, sql: """
            SELECT i.id, i.text, i.input, i.category, r.text AS output, c.hard FROM compositions c
            JOIN instructions i ON i.id = c.instruction_id JOIN responses r ON r.id = c.response_id
            WHERE c.round = ? ORDER BY c.position
            """, arguments: [round]).map {
            TrainingExample(instruction: $0["text"], input: $0["input"], output: $0["output"], category: $0["category"],
                            hard: $0["hard"], instructionID: $0["id"])
        }
    }

    /// Every active train-split instruction with its best response (refined > teacher):
    /// the training set before any round is composed.
    public func seedTrainingExamples() throws -> [TrainingExample] {
        try Row.fetchAll(db, sql: """
            SELECT i.id, i.text, i.input, i.category, (
                SELECT r.text FROM responses r WHERE r.instruction_id = i.id AND r.role IN ('refined', 'teacher')
                ORDER BY CASE r.role WHEN 'refined' THEN 0 ELSE 1 END, r.round DESC LIMIT 1) AS output
            FROM instructions i WHERE i.split = 'train' AND i.state = 'active' ORDER BY i.id
            """).compactMap { row in
            guard let output: String = row["output"] else { return nil }
            return TrainingExample(instruction: row["text"], input: row["input"], output: output,
                                   category: row["category"], hard: nil, instructionID: row["id"])
        }
    }

    /// Category counts of `round`'s composed training set (repeats counted): the actual mix.
    public func compositionCategoryCounts(round: Int) throws -> [String?: Int] {
        var result: [String?: Int] = [:]
        for row in try Row.fetchAll(db, sql: """
            SELECT i.category, COUNT(*) AS n FROM compositions c JOIN instructions i ON i.id = c.instruction_id
            WHERE c.round = ? GROUP BY i.category
            """, arguments: [round]) {
            result[row["category"] as String?] = row["n"]
        }
        return result
    }

    // MARK: - Lineage of one instruction

    /// Every round's judgement of one instruction, oldest round first.
    public func judgements(instructionID: Int64) throws -> [JudgementRecord] {
        try JudgementRecord.fetchAll(db, sql: "SELECT * FROM judgements WHERE instruction_id = ? ORDER BY round", arguments: [instructionID])
    }

    /// Every difficulty value of one instruction, by round then kind.
    public func difficulties(instructionID: Int64) throws -> [DifficultyRecord] {
        try DifficultyRecord.fetchAll(db, sql: "SELECT * FROM difficulty WHERE instruction_id = ? ORDER BY round, kind", arguments: [instructionID])
    }

    /// Every round's hard/easy flag of one instruction.
    public func selections(instructionID: Int64) throws -> [SelectionRecord] {
        try SelectionRecord.fetchAll(db, sql: "SELECT * FROM selection WHERE instruction_id = ? ORDER BY round", arguments: [instructionID])
    }

    /// The rounds whose composed training set includes the instruction.
    public func composedRounds(instructionID: Int64) throws -> [Int] {
        try Int.fetchAll(db, sql: "SELECT DISTINCT round FROM compositions WHERE instruction_id = ? ORDER BY round", arguments: [instructionID])
    }

    // MARK: - Evaluations

    public func evaluations(round: Int) throws -> [EvaluationRecord] {
        try EvaluationRecord.fetchAll(db, sql: "SELECT * FROM evaluations WHERE round = ? ORDER BY instruction_id", arguments: [round])
    }

    /// Win rate of `round`: the overall figure first (category `nil`), then per category by name.
    public func winRates(round: Int) throws -> [WinRate] {
        var overall = WinRate(category: nil, wins: 0, ties: 0, losses: 0)
        var perCategory: [String: WinRate] = [:]
        for row in try Row.fetchAll(db, sql: """
            SELECT category, verdict, COUNT(*) AS n FROM evaluations WHERE round = ? GROUP BY category, verdict
            """, arguments: [round]) {
            let n: Int = row["n"]
            let name: String = row["category"] ?? TaskTaxonomy.fallbackCategory
            var rate = perCategory[name] ?? WinRate(category: name, wins: 0, ties: 0, losses: 0)
            switch EvaluationVerdict(rawValue: row["verdict"]) {
            case .win: rate.wins += n; overall.wins += n
            case .tie: rate.ties += n; overall.ties += n
            case .loss: rate.losses += n; overall.losses += n
            case nil: continue
            }
            perCategory[name] = rate
        }
        return [overall] + perCategory.keys.sorted().map { perCategory[$0]! }
    }

    // MARK: - Events and control

    /// Events with `id > afterID` at `minLevel` or above, oldest first.
    public func events(afterID: Int64 = 0, minLevel: EventLevel = .debug, limit: Int = 500) throws -> [EventRecord] {
        let levels = EventLevel.allCases.filter { $0 >= minLevel }.map(\.rawValue)
        return try EventRecord.fetchAll(db, sql: """
            SELECT * FROM events WHERE id > ? AND level IN (\(levels.map { _ in "?" }.joined(separator: ",")))
            ORDER BY id LIMIT ?
            """, arguments: StatementArguments([afterID] + levels + [limit] as [any DatabaseValueConvertible]))
    }

    /// The latest `limit` events at `minLevel` or above, oldest first.
    public func latestEvents(limit: Int = 200, minLevel: EventLevel = .debug) throws -> [EventRecord] {
        let levels = EventLevel.allCases.filter { $0 >= minLevel }.map(\.rawValue)
        return try EventRecord.fetchAll(db, sql: """
            SELECT * FROM events WHERE level IN (\(levels.map { _ in "?" }.joined(separator: ",")))
            ORDER BY id DESC LIMIT ?
            """, arguments: StatementArguments(levels + [limit] as [any DatabaseValueConvertible])).reversed()
    }

    public func control(_ key: ControlKey) throws -> String? {
        try String.fetchOne(db, sql: "SELECT value FROM control WHERE key = ?", arguments: [key.rawValue])
    }

    public func controls() throws -> [ControlKey: String] {
        var result: [ControlKey: String] = [:]
        for record in try ControlRecord.fetchAll(db) {
            if let key = ControlKey(rawValue: record.key) { result[key] = record.value }
        }
        return result
    }
}

/// One entry of the hard queue.
public struct HardQueueItem: Sendable, Hashable {
    public var instruction: InstructionRecord
    /// The difficulty value that made it hard.
    public var value: Double
}

/// One approval-queue entry with its instruction.
public struct ExpansionItem: Sendable, Hashable {
    public var expansion: ExpansionRecord
    public var instruction: InstructionRecord
}
