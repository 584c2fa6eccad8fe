import Foundation
import TapirCore
import TapirStore

/// What to load: which round, which search, how many rows per list.
public struct DashboardQuery: Sendable, Equatable {
    /// Round for the round-dependent screens; nil = the latest round.
    public var round: Int?
    public var search: String?
    public var sampleLimit: Int
    public var listLimit: Int
    public var eventLimit: Int
    /// Screens whose data to load (the Rounds summary feeding the status bar is always loaded);
    /// nil loads every screen.
    public var screens: Set<Screen>?

    public init(round: Int? = nil, search: String? = nil, sampleLimit: Int = 2000, listLimit: Int = 1000, eventLimit: Int = 1000,
                screens: Set<Screen>? = nil) {
        self.screens = screens
        self.round = round
        self.search = search
        self.sampleLimit = sampleLimit
        self.listLimit = listLimit
        self.eventLimit = eventLimit
    }
}

/// Fills the screens' view models from one read snapshot of the workspace store.
public enum DashboardLoader {
    /// Loads everything the dashboard shows. `targetShares` is the curriculum's target
    /// category mix (category → share) from the config, if any.
    public static func load(_ reader: StoreReader, query: DashboardQuery, workspaceName: String,
                            engineRunning: Bool, targetShares: [String: Double] = [:], now: Date = Date()) throws -> DashboardData {
        let roundRecords = try reader.rounds()
        let round = query.round ?? roundRecords.last?.number
        var data = DashboardData(workspaceName: workspaceName, engineRunning: engineRunning)
        // Any value but an "off" flag pauses (the engine stores a budget pause's reason there).
        data.paused = try reader.control(.paused).map {
            !["", "0", "false", "no", "off"].contains($0.trimmingCharacters(in: .whitespacesAndNewlines).lowercased())
        } ?? false
        data.rounds = try rounds(reader, roundRecords, current: round, now: now)
        data.roleHealth = try roleHealth(reader, now: now)
        func wants(_ screen: Screen) -> Bool { query.screens?.contains(screen) ?? true }
        if wants(.tasks) { data.tasks = try tasks(reader, round: round, targetShares: targetShares) }
        if wants(.scores) { data.scores = try scores(reader, round: round, record: roundRecords.first { $0.number == round }) }
        if let round, wants(.hardQueue) {
            data.hardQueue = HardQueueViewModel(round: round, items: try reader.hardQueue(round: round, limit: query.listLimit).map {
                .init(id: $0.instruction.id ?? 0, category: $0.instruction.category ?? "–", mfd: $0.value, text: $0.instruction.text)
            })
        }
        if wants(.review) { data.review = try review(reader, limit: query.listLimit) }
        if wants(.samples) {
            let filter = InstructionFilter(search: query.search)
            data.samples = SamplesViewModel(
                rows: try reader.instructions(filter, order: .id, limit: query.sampleLimit).map {
                    .init(id: $0.id ?? 0, category: $0.category ?? "–", source: $0.source.rawValue, state: $0.state.rawValue, text: $0.text)
                },
                total: try reader.instructionCount(filter))
        }
        if wants(.logs) {
            data.logs = LogsViewModel(lines: try reader.latestEvents(limit: query.eventLimit).map {
                .init(time: $0.time, level: level($0.level), source: $0.source, message: $0.message)
            })
        }
        return data
    }

    /// The full record of one instruction for the Samples detail pane.
    public static func detail(_ reader: StoreReader, id: Int64) throws -> SamplesViewModel.Detail? {
        guard let instruction = try reader.instruction(id: id) else { return nil }
        let responses = try reader.responses(instructionID: id).map {
            SamplesViewModel.Detail.Response(role: $0.role.rawValue, round: $0.round, model: $0.model, text: $0.text)
        }
        let judgements = try reader.judgements(instructionID: id).map { j in
            SamplesViewModel.Detail.Judgement(round: j.round, teacher: mean(j.teacherScoreAB, j.teacherScoreBA),
                                              student: mean(j.studentScoreAB, j.studentScoreBA), mfd: j.mfd,
                                              rationale: j.rationale ?? j.error ?? "")
        }
        var lineage: [String] = []
        var cursor: InstructionRecord? = instruction
        var seen = Set<Int64>()
        while let current = cursor, let cid = current.id, seen.insert(cid).inserted {
            lineage.insert("\(current.source.rawValue) #\(cid) (round \(current.createdRound))", at: 0)
            cursor = try current.parentID.flatMap { try reader.instruction(id: $0) }
        }
        for sel in try reader.selections(instructionID: id) {
            lineage.append(String(format: "round %d: %@ (%.2f vs δ %.2f)", sel.round, sel.hard ? "hard" : "easy", sel.value, sel.delta))
        }
        for round in try reader.composedRounds(instructionID: id) { lineage.append("round \(round) training set") }
        return .init(id: id, text: instruction.text, input: instruction.input, responses: responses, judgements: judgements, lineage: lineage)
    }

    // MARK: - Per screen

    static func rounds(_ reader: StoreReader, _ records: [RoundRecord], current: Int?, now: Date) throws -> RoundsViewModel {
        var rows: [RoundsViewModel.Row] = []
        for r in records {
            let counts = try reader.selectionCounts(round: r.number)
            rows.append(.init(number: r.number, alpha: r.alpha, delta: r.delta, stage: r.stage?.rawValue ?? "–",
                              state: r.stageState.rawValue, hardCount: counts.total > 0 ? counts.hard : nil,
                              total: counts.total > 0 ? counts.total : nil, winRate: r.winRate,
                              cost: try reader.totalCost(round: r.number)))
        }
        var stages: [RoundsViewModel.StageRow] = []
        var loss: [Double] = []
        if let current {
            for p in try reader.stageProgress(round: current) {
                let minutes = max(p.updatedAt.timeIntervalSince(p.startedAt), 1) / 60
                let rate = p.done > 0 ? Double(p.done) / minutes : nil
                let eta = rate.map { Double(max(0, p.total - p.done)) / $0 * 60 }
                stages.append(.init(stage: p.stage.rawValue, done: p.done, total: p.total, ratePerMinute: rate, etaSeconds: eta))
            }
            if let run = try reader.trainerRuns(round: current).last, let id = run.id {
                loss = try reader.loss(runID: id).map(\.loss)
            }
        }
        return RoundsViewModel(rows: rows, currentRound: current, stages: stages, totalCost: try reader.totalCost(), loss: loss)
    }

    /// The failing and paused roles, paused first; their reasons are untrusted (they quote
    /// endpoint errors) and are sanitised here.
    static func roleHealth(_ reader: StoreReader, now: Date) throws -> RoleHealthViewModel {
        RoleHealthViewModel(roles: try reader.roleHealth().filter { $0.state != .ok }.map { record in
            let reason = record.reason ?? record.lastError ?? (record.isPaused ? "repeated failures" : "failing")
            return .init(name: record.role.rawValue, paused: record.isPaused, consecutiveFailures: record.consecutiveFailures,
                         reason: TerminalSanitizer.sanitize(reason, options: .singleLine),
                         lastFailureAge: record.lastFailureAt.map { max(0, now.timeIntervalSince($0)) })
        })
    }

    static func tasks(_ reader: StoreReader, round: Int?, targetShares: [String: Double]) throws -> TasksViewModel {
        // The actual mix is the round's composed training set once it exists, else the pool.
        let composed = try round.map { try reader.compositionCategoryCounts(round: $0) } ?? [:]
        let counts = composed.isEmpty ? try reader.categoryCounts(.activeTrain) : composed
        let total = max(1, counts.values.reduce(0, +))
        let hard = try round.map { try reader.hardShareByCategory(round: $0) } ?? [:]
        let categories = counts.map { name, n -> TasksViewModel.Category in
            let key = name ?? "uncategorised"
            let h = hard[name].flatMap { $0.total > 0 ? Double($0.hard) / Double($0.total) : nil }
            return .init(name: key, count: n, actual: Double(n) / Double(total), target: targetShares[key], hardShare: h)
        }.sorted { $0.count != $1.count ? $0.count > $1.count : $0.name < $1.name }
        return TasksViewModel(round: round, categories: categories)
    }

    static func scores(_ reader: StoreReader, round: Int?, record: RoundRecord?) throws -> ScoresViewModel {
        var vm = ScoresViewModel(round: round, delta: record?.delta ?? 1.0)
        vm.nextDelta = try reader.control(.deltaNext).flatMap(Double.init)
        guard let round else { return vm }
        var agree = 0, both = 0
        for j in try reader.judgements(round: round, status: .ok) {
            if let t = mean(j.teacherScoreAB, j.teacherScoreBA) { vm.teacherScores.append(t) }
            if let s = mean(j.studentScoreAB, j.studentScoreBA) { vm.studentScores.append(s) }
            if let m = j.mfd { vm.mfd.append(m) }
            if let tab = j.teacherScoreAB, let sab = j.studentScoreAB, let tba = j.teacherScoreBA, let sba = j.studentScoreBA {
                both += 1
                if (tab - sab).sign == (tba - sba).sign || (tab == sab && tba == sba) { agree += 1 }
            }
        }
        vm.consistency = both > 0 ? Double(agree) / Double(both) : nil
        return vm
    }

    static func review(_ reader: StoreReader, limit: Int) throws -> ReviewViewModel {
        var items: [ReviewViewModel.Item] = []
        for e in try reader.expansions(state: .pending, limit: limit) {
            let parent = try e.expansion.parentID.flatMap { try reader.instruction(id: $0) }
            var answer = ""
            var rationale = ""
            if let pid = e.expansion.parentID {
                answer = try reader.responses(instructionID: pid).filter { $0.role == .student && $0.round <= e.expansion.round }
                    .max { $0.round < $1.round }?.text ?? ""
                rationale = try reader.judgement(instructionID: pid, round: e.expansion.round)?.rationale ?? ""
            }
            let nearest = try e.expansion.nearestIDs.enumerated().compactMap { i, id -> ReviewViewModel.Neighbour? in
                guard let n = try reader.instruction(id: id) else { return nil }
                return .init(text: n.text, similarity: i == 0 ? e.expansion.similarity : nil)
            }
            items.append(.init(id: e.instruction.id ?? e.expansion.instructionID, round: e.expansion.round,
                               category: e.instruction.category ?? "–", text: e.instruction.text,
                               parentText: parent?.text ?? "–", studentAnswer: answer.isEmpty ? "–" : answer,
                               rationale: rationale.isEmpty ? "–" : rationale, nearest: nearest))
        }
        let counts = try reader.expansionCounts()
        return ReviewViewModel(items: items, approvedCount: (counts[.approved] ?? 0) + (counts[.edited] ?? 0),
                               rejectedCount: counts[.rejected] ?? 0)
    }

    static func level(_ l: EventLevel) -> LogsViewModel.Level {
        switch l {
        case .debug: .debug
        case .info: .info
        case .warning: .warning
        case .error: .error
        }
    }

    static func mean(_ a: Double?, _ b: Double?) -> Double? {
        switch (a, b) {
        case let (x?, y?): (x + y) / 2
        case let (x?, nil): x
        case let (nil, y?): y
        default: nil
        }
    }
}
