import Foundation
import GRDB
import Testing
import TapirCore
@testable import TapirStore

@Suite("Workspace store")
struct WorkspaceStoreTests {
    let temp: TempDirectory
    let store: WorkspaceStore

    init() throws {
        temp = try TempDirectory()
        store = try WorkspaceStore(path: temp.file("tapir.sqlite").path)
    }

    func addSeed(_ text: String, category: String? = nil, split: DataSplit = .train, output: String? = "answer") throws -> Int64 {
        try store.write { w in
            let record = try #require(try w.insertInstruction(InstructionRecord(text: text, source: .dataset, category: category,
                                                                                  categorySource: category == nil ? nil : .dataset, split: split)))
            if let output {
                try w.saveResponse(ResponseRecord(instructionID: record.id!, role: .teacher, round: 0, model: "dataset", text: output))
            }
            return record.id!
        }
    }

    @Test func openingAppliesAllMigrationsInWAL() throws {
        #expect(try store.appliedMigrations() == StoreMigrations.identifiers)
        let mode = try store.pool.read { try String.fetchOne($0, sql: "PRAGMA journal_mode") }
        #expect(mode == "wal")
        // Reopening is a no-op.
        let again = try WorkspaceStore(path: store.path)
        #expect(try again.appliedMigrations() == StoreMigrations.identifiers)
    }

    @Test func migratesAnExistingV1Database() throws {
        let path = temp.file("old.sqlite").path
        do {
            let queue = try DatabaseQueue(path: path)
            try StoreMigrations.migrator.migrate(queue, upTo: "v1")
            try queue.write { db in
                try db.execute(sql: """
                    INSERT INTO instructions (text, input, source, split, state, norm_hash, created_round, created_at)
                    VALUES ('Old instruction', '', 'dataset', 'train', 'active', 'h1', 0, '2026-01-01 00:00:00.000')
                    """)
                #expect(try db.tableExists("compositions") == false)
            }
        }
        let store = try WorkspaceStore(path: path)
        #expect(try store.appliedMigrations() == StoreMigrations.identifiers)
        let old = try store.read { try $0.instructions() }
        #expect(old.map(\.text) == ["Old instruction"])
        try store.setControl(.paused, "true")
        #expect(try store.control(.paused) == "true")
        try store.write { try $0.replaceComposition(round: 1, []) }
    }

    @Test func duplicatesByNormalisedTextAreIgnored() throws {
        let id = try addSeed("Write  a Poem")
        let duplicate = try store.write { try $0.insertInstruction(InstructionRecord(text: "  write a poem ", source: .dataset)) }
        #expect(duplicate == nil)
        #expect(try store.read { try $0.instructionCount() } == 1)
        #expect(try store.read { try $0.instructionID(normHash: InstructionFingerprint.hash(instruction: "WRITE A POEM", input: "")) } == id)
    }

    @Test func responsesUpsertAndBestResponse() throws {
        let id = try addSeed("Explain gravity")
        try store.write { w in
            try w.saveResponse(ResponseRecord(instructionID: id, role: .student, round: 1, model: "s", text: "first"))
            let second = try w.saveResponse(ResponseRecord(instructionID: id, role: .student, round: 1, model: "s", text: "second"))
            #expect(second.id != nil)
        }
        let r = try store.read { try $0.responses(instructionID: id) }
        #expect(r.filter { $0.role == .student }.map(\.text) == ["second"])
        #expect(try store.read { try $0.bestResponse(instructionID: id) }?.text == "answer")
        try store.write { _ = try $0.saveResponse(ResponseRecord(instructionID: id, role: .refined, round: 1, model: "t", text: "refined")) }
        #expect(try store.read { try $0.bestResponse(instructionID: id) }?.text == "refined")
        #expect(try store.read { try $0.bestResponse(instructionID: id, upToRound: 0) }?.text == "answer")
        let missing = try store.read { try $0.instructionIDsWithoutResponse(role: .student, round: 2) }
        #expect(missing == [id])
        #expect(try store.read { try $0.instructionIDsWithoutResponse(role: .teacher, round: 2) }.isEmpty)
    }

    @Test func batchHelpers() throws {
        let a = try addSeed("first seed")
        let b = try addSeed("second seed", output: nil)
        try store.write { w in
            try w.saveResponses([
                ResponseRecord(instructionID: b, role: .teacher, round: 1, model: "t", text: "written"),
                ResponseRecord(instructionID: a, role: .teacher, round: 2, model: "t", text: "newer"),
            ])
            try w.setCategories([(a, "Math"), (b, "Art")], source: .model)
        }
        let teacher = try store.read { try $0.teacherResponses(upToRound: 1) }
        #expect(teacher[a]?.text == "answer" && teacher[b]?.text == "written")
        #expect(try store.read { try $0.teacherResponses() }[a]?.text == "newer")
        #expect(try store.read { try $0.instructions(ids: [b, a, 999]) }.map(\.category) == ["Math", "Art"])
    }

    @Test func judgementsSelectionAndHardQueue() throws {
        let a = try addSeed("Solve x + 1 = 2", category: "Math")
        let b = try addSeed("Write a haiku", category: "Writing")
        let c = try addSeed("Prove the theorem", category: "Math")
        try store.write { w in
            for (id, mfd) in [(a, 2.5), (b, 0.2), (c, 4.0)] {
                try w.saveJudgement(JudgementRecord(instructionID: id, round: 1, teacherScoreAB: 9, studentScoreAB: 9 - mfd,
                                                    teacherScoreBA: 9, studentScoreBA: 9 - mfd, mfd: mfd, judgeModel: "j"))
            }
            try w.saveDifficulties([a, b, c].map { DifficultyRecord(instructionID: $0, round: 1, kind: .judge, value: 1) })
            try w.replaceSelection(round: 1, [
                SelectionRecord(instructionID: a, round: 1, hard: true, value: 2.5, delta: 1),
                SelectionRecord(instructionID: b, round: 1, hard: false, value: 0.2, delta: 1),
                SelectionRecord(instructionID: c, round: 1, hard: true, value: 4.0, delta: 1),
            ])
        }
        #expect(try store.read { try $0.judgements(round: 1) }.count == 3)
        #expect(try store.read { try $0.judgements(instructionID: c) }.map(\.mfd) == [4.0])
        #expect(try store.read { try $0.selections(instructionID: b) }.map(\.hard) == [false])
        #expect(try store.read { try $0.difficulties(instructionID: a) }.map(\.kind) == [.judge])
        #expect(try store.read { try $0.instructionIDsWithoutJudgement(round: 1) }.isEmpty)
        let queue = try store.read { try $0.hardQueue(round: 1) }
        #expect(queue.map(\.instruction.id) == [c, a])
        #expect(try store.read { try $0.hardQueue(round: 1, category: "Writing") }.isEmpty)
        let counts = try store.read { try $0.selectionCounts(round: 1) }
        #expect(counts.hard == 2 && counts.total == 3)
        let share = try store.read { try $0.hardShareByCategory(round: 1) }
        #expect(share["Math"]?.hard == 2)
        #expect(share["Writing"]?.total == 1)
    }

    @Test func categoriesFromDatasetWinOverModel() throws {
        let labelled = try addSeed("Fix this bug", category: "Code Debug")
        let unlabelled = try addSeed("Tell me a joke")
        try store.write { w in
            try w.setCategory(instructionID: labelled, category: "Others", source: .model)
            try w.setCategory(instructionID: unlabelled, category: "Entertainment", source: .model)
        }
        #expect(try store.read { try $0.instruction(id: labelled) }?.category == "Code Debug")
        let other = try #require(try store.read { try $0.instruction(id: unlabelled) })
        #expect(other.category == "Entertainment")
        #expect(other.categorySource == .model)
        #expect(try store.read { try $0.categoryCounts() } == ["Code Debug": 1, "Entertainment": 1])
    }

    @Test func expansionReviewLifecycle() throws {
        let seed = try addSeed("Compute 12 * 13", category: "Math")
        let item = try #require(try store.write {
            try $0.addExpansion(text: "Compute 14 * 17", parentID: seed, round: 1, category: "Math", similarity: 0.4, nearestIDs: [seed])
        })
        #expect(item.instruction.state == .pending)
        #expect(item.expansion.nearestIDs == [seed])
        #expect(try store.write { try $0.addExpansion(text: "compute 14 * 17", parentID: seed, round: 1, category: nil) } == nil)
        let second = try #require(try store.write { try $0.addExpansion(text: "Compute 99 * 99", parentID: seed, round: 1, category: "Math") })
        #expect(try store.read { try $0.expansions() }.count == 2)

        let edited = try store.write {
            try $0.review(instructionID: item.instruction.id!, decision: .edit(text: "Compute 14 * 18"), note: "fixed")
        }
        #expect(edited.instruction.text == "Compute 14 * 18")
        #expect(edited.instruction.state == .active)
        #expect(edited.expansion.originalText == "Compute 14 * 17")
        #expect(edited.expansion.state == .edited)
        #expect(throws: StoreError.self) {
            try store.write { try $0.review(instructionID: item.instruction.id!, decision: .approve) }
        }
        #expect(throws: StoreError.duplicateText(existingID: seed)) {
            try store.write { try $0.review(instructionID: second.instruction.id!, decision: .edit(text: "compute 12*13".replacingOccurrences(of: "*", with: " * "))) }
        }
        try store.write { _ = try $0.review(instructionID: second.instruction.id!, decision: .reject) }
        #expect(try store.read { try $0.instruction(id: second.instruction.id!) }?.state == .rejected)
        #expect(try store.read { try $0.expansionCounts() } == [.edited: 1, .rejected: 1])
        #expect(try store.read { try $0.children(of: seed) }.count == 2)
    }

    @Test func llmCallCacheAndLedger() throws {
        let ok = LLMCallRecord(requestHash: "h1", role: .judge, stage: .judge, round: 1, endpoint: "https://x/v1", model: "j",
                               status: .ok, responseText: "8", promptTokens: 100, completionTokens: 10, cost: 0.002, latency: 1.5)
        let stored = try store.recordCall(ok)
        #expect(stored.id != nil)
        // The same request paid again (cache bypassed) is a second ledger row and the new cache entry.
        var repeated = ok
        repeated.responseText = "9"
        let again = try store.recordCall(repeated)
        #expect(again.id != stored.id)
        #expect(try store.cachedCall(requestHash: "h1")?.id == again.id)
        #expect(try store.cachedCall(requestHash: "h1")?.responseText == "9")
        try store.recordCall(LLMCallRecord(requestHash: "h2", role: .judge, stage: .judge, round: 1, endpoint: "https://x/v1",
                                           model: "j", status: .error, error: "HTTP 500"))
        try store.recordCall(LLMCallRecord(requestHash: "h2", role: .judge, stage: .judge, round: 1, endpoint: "https://x/v1",
                                           model: "j", status: .error, error: "HTTP 500"))
        try store.recordCall(LLMCallRecord(requestHash: "h3", role: .teacher, stage: .expand, round: 1, endpoint: "https://x/v1",
                                           model: "t", status: .ok, responseText: "new", promptTokens: 50, completionTokens: 200, cost: 0.01))
        // A failure after a success keeps the cached success.
        try store.recordCall(LLMCallRecord(requestHash: "h3", role: .teacher, stage: .expand, round: 1, endpoint: "https://x/v1",
                                           model: "t", status: .error, error: "HTTP 503"))
        #expect(try store.cachedCall(requestHash: "h3")?.responseText == "new")
        #expect(try store.cachedCall(requestHash: "h2") == nil)
        #expect(try store.read { try $0.cachedRequestCount() } == 2)
        let ledger = try store.ledger()
        let judge = try #require(ledger.first { $0.role == .judge })
        #expect(judge.calls == 4 && judge.errors == 2 && judge.promptTokens == 200)
        #expect(abs(try store.read { try $0.totalCost(round: 1) } - 0.014) < 1e-12)
        let summary = try store.statusSummary()
        #expect(summary.ledgerTotals.calls == 6)
    }

    @Test func concurrentBatchedCallsAreEachCommittedWithTheirOwnRow() async throws {
        let store = store
        let created = Date(timeIntervalSince1970: 1_790_000_000)
        func call(_ index: Int) -> LLMCallRecord {
            LLMCallRecord(requestHash: "h\(index % 150)", role: index % 2 == 0 ? .judge : .student, stage: .judge, round: 1,
                          endpoint: "https://x/v1", model: "m", status: index % 7 == 0 ? .error : .ok,
                          responseText: index % 7 == 0 ? nil : "reply \(index)", finishReason: "stop",
                          promptTokens: index, completionTokens: 2 * index, cost: Double(index) / 1000, latency: 0.5,
                          attempts: 1 + index % 3, error: index % 7 == 0 ? "HTTP 500" : nil, createdAt: created)
        }
        let stored = try await withThrowingTaskGroup(of: LLMCallRecord.self) { group in
            for index in 0..<300 { group.addTask { try await store.recordCallBatched(call(index)) } }
            return try await group.reduce(into: [LLMCallRecord]()) { $0.append($1) }
        }
        #expect(Set(stored.compactMap(\.id)).count == 300)
        #expect(try await store.read { try Int.fetchOne($0.db, sql: "SELECT COUNT(*) FROM llm_calls") } == 300)
        // Each returned row is the stored one, field for field (dates included).
        for record in stored {
            let index = record.promptTokens
            var expected = call(index)
            expected.id = record.id
            #expect(record == expected)
            #expect(try await store.read { try LLMCallRecord.fetchOne($0.db, key: record.id!) } == expected)
        }
        // The cache entry of a hash is its latest successful row.
        for hash in 0..<150 {
            let latest = stored.filter { $0.requestHash == "h\(hash)" && $0.status == .ok }.max { $0.id! < $1.id! }
            #expect(try store.cachedCall(requestHash: "h\(hash)")?.id == latest?.id)
        }
    }

    @Test func v4MakesTheLatestSuccessfulCallOfEachHashTheCacheEntry() throws {
        let path = temp.file("v3.sqlite").path
        do {
            let queue = try DatabaseQueue(path: path)
            try StoreMigrations.migrator.migrate(queue, upTo: "v3")
            try queue.write { db in
                for (hash, status, text) in [("a", "ok", "A"), ("b", "error", nil), ("b", "ok", "B"), ("c", "error", nil)] {
                    try db.execute(sql: """
                        INSERT INTO llm_calls (request_hash, role, endpoint, model, status, response_text, created_at)
                        VALUES (?, 'teacher', 'http://x/v1', 'm', ?, ?, '2026-01-01 00:00:00.000')
                        """, arguments: [hash, status, text])
                }
            }
        }
        let store = try WorkspaceStore(path: path)
        #expect(try store.cachedCall(requestHash: "a")?.responseText == "A")
        #expect(try store.cachedCall(requestHash: "b")?.responseText == "B")
        #expect(try store.cachedCall(requestHash: "c") == nil)
        #expect(try store.read { try $0.recentCalls() }.count == 4)
        #expect(try store.read { try $0.recentCalls() }.allSatisfy { $0.attempts == 1 })
        // Paying for "a" again is allowed now (the unique index is gone).
        try store.recordCall(LLMCallRecord(requestHash: "a", role: .teacher, endpoint: "http://x/v1", model: "m", status: .ok,
                                           responseText: "A2"))
        #expect(try store.cachedCall(requestHash: "a")?.responseText == "A2")
    }

    @Test func roleHealthKeepsTheNewestRevisionAndResumes() throws {
        let failing = RoleHealthRecord(role: .teacher, state: .failing, reason: "1 consecutive failure(s)",
                                       lastError: String(repeating: "x", count: 1000), consecutiveFailures: 1,
                                       lastFailureAt: Date(), revision: 1)
        var paused = failing
        paused.state = .paused
        paused.reason = "3 consecutive requests failed"
        paused.consecutiveFailures = 3
        paused.revision = 3
        #expect(try store.write { try $0.updateRoleHealth(paused) })
        // An older update arriving late does not replace the newer one.
        #expect(try store.write { try $0.updateRoleHealth(failing) } == false)
        try store.write { _ = try $0.updateRoleHealth(RoleHealthRecord(role: .judge, revision: 1)) }
        let rows = try store.roleHealth()
        #expect(rows.map(\.role) == [.teacher, .judge])  // paused first
        #expect(rows[0].state == .paused && rows[0].reason == "3 consecutive requests failed" && rows[0].consecutiveFailures == 3)
        #expect(rows[0].lastError?.count == RoleHealthRecord.maxTextLength)
        #expect(try store.statusSummary().roleHealth == rows)

        let resumed = try store.write { try $0.resumeRoles() }
        #expect(resumed.map(\.role) == [.teacher])
        let after = try #require(try store.read { try $0.roleHealth(role: .teacher) })
        #expect(after.state == .ok && after.reason == nil && after.consecutiveFailures == 0 && after.revision == 4)
        #expect(after.lastError != nil)
        #expect(try store.write { try $0.resumeRoles() }.isEmpty)
    }

    @Test func roundsProgressTrainerEvaluations() throws {
        let id = try addSeed("Q", category: "Math", split: .eval)
        try store.write { w in
            try w.saveRound(RoundRecord(number: 1, alpha: 0.3, delta: 1))
            try w.setRoundStage(round: 1, stage: .answer, state: .running)
            try w.updateProgress(round: 1, stage: .answer, done: 5, total: 10)
            try w.updateProgress(round: 1, stage: .answer, done: 8, total: 10)
            let run = try w.startTrainerRun(round: 1, command: "train", logPath: "logs/t.log")
            try w.appendLoss([TrainerLossRecord(runID: run.id!, step: 1, loss: 2.0), TrainerLossRecord(runID: run.id!, step: 2, loss: 1.5)])
            try w.finishTrainerRun(id: run.id!, status: .succeeded, exitCode: 0, output: "/ckpt")
            try w.saveEvaluations([EvaluationRecord(round: 1, instructionID: id, verdict: .tie, category: "Math")])
            try w.finishRound(round: 1, winRate: 0.5, metrics: ["hard": 3])
        }
        let round = try #require(try store.read { try $0.latestRound() })
        #expect(round.stage == .answer && round.stageState == .done && round.startedAt != nil && round.finishedAt != nil)
        #expect(round.metrics == ["hard": 3])
        let progress = try #require(try store.read { try $0.stageProgress(round: 1, stage: .answer) })
        #expect(progress.done == 8 && progress.fraction == 0.8)
        let run = try #require(try store.read { try $0.trainerRuns(round: 1) }.first)
        #expect(run.status == .succeeded && run.exitCode == 0)
        #expect(try store.read { try $0.loss(runID: run.id!) }.map(\.loss) == [2.0, 1.5])
        let rates = try store.read { try $0.winRates(round: 1) }
        #expect(rates.first?.category == nil && rates.first?.rate == 0.5)
        #expect(rates.last?.category == "Math")
    }

    @Test func compositionsGiveTrainingExamples() throws {
        let a = try addSeed("A", category: "Math")
        let b = try addSeed("B", category: "Writing")
        _ = try addSeed("No answer", output: nil)
        _ = try addSeed("Held out", split: .eval)
        let seeds = try store.read { try $0.seedTrainingExamples() }
        #expect(seeds.map(\.instruction) == ["A", "B"])
        try store.write { w in
            let ra = try #require(try w.reader.teacherResponse(instructionID: a))
            let rb = try #require(try w.reader.teacherResponse(instructionID: b))
            try w.replaceComposition(round: 1, [
                CompositionRecord(round: 1, instructionID: b, responseID: rb.id!, hard: false, position: 0),
                CompositionRecord(round: 1, instructionID: a, repeatIndex: 0, responseID: ra.id!, hard: true, position: 1),
                CompositionRecord(round: 1, instructionID: a, repeatIndex: 1, responseID: ra.id!, hard: true, position: 2),
            ])
        }
        #expect(try store.read { try $0.latestComposedRound() } == 1)
        let examples = try store.read { try $0.trainingExamples(round: 1) }
        #expect(examples.map(\.instruction) == ["B", "A", "A"])
        #expect(examples.map(\.hard) == [false, true, true])
        #expect(try store.read { try $0.compositionCategoryCounts(round: 1) } == ["Math": 2, "Writing": 1])
        #expect(try store.read { try $0.composedRounds(instructionID: a) } == [1])
    }

    @Test func eventsAndControl() throws {
        try store.log(.info, source: "engine", "started", round: 1, stage: .answer)
        try store.log(.error, source: "judge", "endpoint failed")
        try store.log(.debug, source: "engine", "detail")
        let errors = try store.read { try $0.events(minLevel: .warning) }
        #expect(errors.map(\.message) == ["endpoint failed"])
        let all = try store.read { try $0.latestEvents(limit: 2) }
        #expect(all.map(\.message) == ["endpoint failed", "detail"])
        let after = try store.read { try $0.events(afterID: all[0].id!) }
        #expect(after.map(\.message) == ["detail"])
        try store.setControl(.deltaNext, "1.5")
        try store.setControl(.paused, "true")
        try store.setControl(.paused, nil)
        #expect(try store.read { try $0.controls() } == [.deltaNext: "1.5"])
    }

    @Test func observationSeesWrites() async throws {
        let seen = try await withThrowingTaskGroup(of: [Int].self) { group in
            let store = self.store
            group.addTask {
                var values: [Int] = []
                for try await count in store.values(pollInterval: nil, { try $0.instructionCount() }) {
                    values.append(count)
                    if count >= 2 { break }
                }
                return values
            }
            try await Task.sleep(for: .milliseconds(100))
            _ = try addSeed("first")
            try await Task.sleep(for: .milliseconds(100))
            _ = try addSeed("second")
            return try await group.next()!
        }
        #expect(seen.first == 0 || seen.first == 1)
        #expect(seen.last == 2)
    }

    @Test func pollingSeesAnotherConnectionsWrites() async throws {
        // A second pool on the same file stands for another process (the engine).
        let other = try WorkspaceStore(path: store.path)
        let stream = store.values(pollInterval: 0.05) { try $0.instructionCount() }
        var iterator = stream.makeAsyncIterator()
        #expect(try await iterator.next() == 0)
        try await other.write { _ = try $0.insertInstruction(InstructionRecord(text: "from elsewhere", source: .dataset)) }
        #expect(try await iterator.next() == 1)
    }

    @Test func secondPoolReadsWhileFirstWrites() throws {
        let reader = try WorkspaceStore(path: store.path)
        _ = try addSeed("seed")
        try store.write { w in
            for i in 0..<500 {
                _ = try w.insertInstruction(InstructionRecord(text: "bulk \(i)", source: .dataset))
            }
            // Mid-transaction, the other connection still reads the last committed snapshot.
            #expect(try reader.read { try $0.instructionCount() } == 1)
        }
        #expect(try reader.read { try $0.instructionCount() } == 501)
    }

    @Test func engineLockIsExclusiveAndReleased() throws {
        let url = temp.file(".tapir.lock")
        let lock = try WorkspaceLock.acquire(at: url)
        #expect(throws: WorkspaceError.self) { _ = try WorkspaceLock.acquire(at: url) }
        do {
            _ = try WorkspaceLock.acquire(at: url)
        } catch let WorkspaceError.locked(_, holder) {
            #expect(holder == "pid \(getpid())")
        } catch {
            Issue.record("unexpected \(error)")
        }
        lock.release()
        let again = try WorkspaceLock.acquire(at: url)
        _ = again
    }

    @Test func workspaceCreateAndLocate() throws {
        let root = temp.url.appendingPathComponent("ws")
        let workspace = try Workspace.create(at: root)
        for url in [workspace.configURL, workspace.databaseURL, workspace.exportsURL, workspace.logsURL] {
            #expect(FileManager.default.fileExists(atPath: url.path))
        }
        #expect(try workspace.loadConfig() == .defaults)
        let nested = root.appendingPathComponent("exports/round-1")
        try FileManager.default.createDirectory(at: nested, withIntermediateDirectories: true)
        #expect(try Workspace.locate(explicit: nil, from: nested).root.path == workspace.root.path)
        #expect(try Workspace.locate(explicit: root.path).root.path == workspace.root.path)
        #expect(throws: WorkspaceError.self) { _ = try Workspace.locate(explicit: temp.url.path) }
        #expect(throws: WorkspaceError.self) { _ = try Workspace.locate(explicit: nil, from: URL(fileURLWithPath: "/proc/self")) }
    }
}

@Suite("Engine lock across processes")
struct WorkspaceLockProcessTests {
    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/flock")))
    func killedHolderReleasesTheLock() throws {
        let temp = try TempDirectory()
        let url = temp.file(".tapir.lock")
        FileManager.default.createFile(atPath: url.path, contents: nil)
        // Another process takes the same flock and then dies without unlocking.
        let holder = Process()
        holder.executableURL = URL(fileURLWithPath: "/bin/sh")
        holder.arguments = ["-c", "exec 9<>\"$0\"; /usr/bin/flock --exclusive 9; exec sleep 30", url.path]
        try holder.run()
        var refused = false
        for _ in 0..<100 {
            do {
                _ = try WorkspaceLock.acquire(at: url)
            } catch WorkspaceError.locked {
                refused = true
                break
            }
            Thread.sleep(forTimeInterval: 0.05)
        }
        #expect(refused)
        kill(holder.processIdentifier, SIGKILL)
        holder.waitUntilExit()
        // The kernel drops a dead process's lock: no stale lock after a crash.
        var acquired: WorkspaceLock?
        for _ in 0..<40 where acquired == nil {
            acquired = try? WorkspaceLock.acquire(at: url)
            if acquired == nil { Thread.sleep(forTimeInterval: 0.05) }
        }
        #expect(acquired != nil)
    }
}
