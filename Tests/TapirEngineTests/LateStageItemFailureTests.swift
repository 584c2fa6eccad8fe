import Foundation
import Testing
import TapirCore
import TapirLLM
import TapirStore
import TapirTestSupport
@testable import TapirEngine

/// Refine, expand and evaluate over the real store and real HTTP: a call that does not
/// answer in time fails its own item only (one error event naming it), the others are
/// finished and stored, the stage fails with `StageItemFailures`, and a rerun asks again for
/// exactly the failed items. (Teach and judge are in `StageItemFailureTests`.)
@Suite struct LateStageItemFailureTests {
    /// A client for `role` on `server` that gives up after one second, without retries.
    /// - Parameter pauseAfter: consecutive failures that pause the role (a stop for the stage).
    private func impatient(_ role: ModelRole, on server: LoopbackHTTPServer, store: WorkspaceStore,
                           pauseAfter: Int = 3) throws -> any ChatModel {
        let config = RoleConfig(provider: .openai, baseURL: server.baseURL, model: role.rawValue,
                                maxConcurrency: 4, maxAttempts: 1, timeoutSeconds: 1)
        return CachingChatModel(base: try OpenAIClient(role: role, config: config, environment: [:],
                                                       pauseAfterFailures: pauseAfter), store: store)
    }

    private func bodies(_ server: LoopbackHTTPServer, containing text: String) -> Int {
        server.requests.filter { $0.bodyText.contains(text) }.count
    }

    @Test func aRefineTimeoutFailsOnlyItsInstructionAndARerunCompletesIt() async throws {
        let fixture = try EngineFixture()
        let roles = ScriptedRoles(slowReplies: true, slowDelay: 3)
        let server = try roles.server()
        defer { server.stop() }
        let texts = ["Say hello.", "\(ScriptedRoles.slowMarker) Name a colour.", "Spell cat."]
        var ids: [Int64] = []
        for text in texts {
            let id = try fixture.instruction(text, category: "Others")
            try fixture.response(id, .teacher, round: 0, "raw answer to " + text)
            ids.append(id)
        }
        try fixture.round(1)
        let context = fixture.context(models: EngineModels(teacher: try impatient(.teacher, on: server, store: fixture.store)),
                                      concurrency: 3)

        let failure = try await #require(throws: StageItemFailures.self) { try await RefineStage().run(round: 1, context: context) }
        #expect(failure.stage == .refine && failure.failed == 1 && failure.finished == 2 && failure.firstInstructionID == ids[1])
        let refined = try fixture.read { try $0.responses(role: .refined, round: 1) }
        #expect(Set(refined.map(\.instructionID)) == Set([ids[0], ids[2]]))
        #expect(refined.allSatisfy { $0.text.hasPrefix("Refined: raw answer to ") })
        let recorded = try fixture.events(containing: "instruction \(ids[1]):").filter { $0.source == "refine" }
        #expect(recorded.count == 1 && recorded.first?.level == .error && recorded.first?.stage == .refine)
        #expect(recorded.first?.message.contains("timed out") == true, "\(recorded.map(\.message))")
        // The raw teacher response of the failed one is untouched and still the best one.
        #expect(try fixture.read { try $0.bestResponse(instructionID: ids[1], upToRound: 1)?.role } == .teacher)

        roles.slowReplies = false
        #expect(try await RefineStage().run(round: 1, context: context) == .completed(summary: "refined 3/3"))
        let all = try fixture.read { try $0.responses(role: .refined, round: 1) }
        #expect(Set(all.map(\.instructionID)) == Set(ids))
        for (index, text) in texts.enumerated() { #expect(bodies(server, containing: text) == (index == 1 ? 2 : 1), "\(text)") }
    }

    @Test func anEvaluateTimeoutFailsOnlyItsComparisonAndRatesCountTheOthers() async throws {
        let fixture = try EngineFixture()
        let roles = ScriptedRoles(slowReplies: true, slowDelay: 3)
        let server = try roles.server()
        defer { server.stop() }
        let texts = ["Name a prime number.", "\(ScriptedRoles.slowMarker) Say hello.", "List two fruits.", "Count to four."]
        var ids: [Int64] = []
        for text in texts {
            let id = try fixture.instruction(text, category: "Others", split: .eval)
            try fixture.response(id, .teacher, round: 0, ScriptedRoles.referencePrefix + text)
            try fixture.response(id, .student, round: 1, "My answer to \(text)")
            ids.append(id)
        }
        try fixture.round(1)
        let context = fixture.context(models: EngineModels(judge: try impatient(.judge, on: server, store: fixture.store)),
                                      concurrency: 4)

        let failure = try await #require(throws: StageItemFailures.self) { try await EvaluateStage().run(round: 1, context: context) }
        #expect(failure.stage == .evaluate && failure.failed == 1 && failure.finished == 3 && failure.firstInstructionID == ids[1])
        let stored = try fixture.read { try $0.evaluations(round: 1) }
        #expect(Set(stored.map(\.instructionID)) == Set([ids[0], ids[2], ids[3]]))
        // The rates are over the three comparisons that succeeded.
        let wins = Double(stored.filter { $0.verdict == .win }.count) + 0.5 * Double(stored.filter { $0.verdict == .tie }.count)
        let expectedRate = String(format: "%.1f", wins / 3 * 100)
        #expect(failure.description.contains("1 comparison(s) failed; win rate \(expectedRate)% over 3"), "\(failure)")
        let round = try #require(try fixture.read { try $0.round(1) })
        #expect(round.metrics["eval_failed"] == 1 && round.metrics["eval_count"] == 3)
        #expect(round.finishedAt == nil)  // a rerun must still compare the failed one
        let recorded = try fixture.events(containing: "instruction \(ids[1]):").filter { $0.source == "evaluate" }
        #expect(recorded.count == 1 && recorded.first?.level == .error && recorded.first?.stage == .evaluate)

        roles.slowReplies = false
        let outcome = try await EvaluateStage().run(round: 1, context: context)
        guard case let .completed(summary) = outcome else { Issue.record("expected completion, got \(outcome)"); return }
        #expect(summary.hasSuffix("over 4"), "\(summary)")
        let finished = try #require(try fixture.read { try $0.round(1) })
        #expect(finished.metrics["eval_failed"] == 0 && finished.metrics["eval_count"] == 4 && finished.finishedAt != nil)
        for (index, text) in texts.enumerated() {
            // Both orders each; the slow one's first order timed out and both were asked on the rerun.
            #expect(bodies(server, containing: text) == (index == 1 ? 3 : 2), "\(text)")
        }
    }

    /// Expansion requests planned per round.
    static let budget = 6

    /// Seeds of two categories; one Math seed is slow, so the requests that show it time out
    /// while the others go through.
    private func expandFixture(roles: ScriptedRoles, server: LoopbackHTTPServer) throws -> (EngineFixture, EngineContext) {
        let fixture = try EngineFixture()
        fixture.config.curriculum.approval = .auto
        fixture.config.curriculum.expansionsPerRound = Self.budget
        fixture.config.curriculum.expansionSeedsPerPrompt = 2
        let seeds = [("Solve for x: 3x + 7 = 22. \(ScriptedRoles.slowMarker)", "Math"), ("Compute 12 squared.", "Math"), ("What is the derivative of x^3 + 2x?", "Math"),
                     ("Write a haiku about rain.", "Writing"), ("Write a limerick about a cat.", "Writing")]
        var ids: [Int64] = []
        for (text, category) in seeds { ids.append(try fixture.instruction(text, category: category)) }
        try fixture.round(1)
        try fixture.write { writer in
            try writer.replaceSelection(round: 1, ids.enumerated().map { k, id in
                SelectionRecord(instructionID: id, round: 1, hard: true, value: Double(3 + k), delta: 1)
            })
        }
        // Several timeouts may come in a row here: they must not pause the role.
        let teacher = try impatient(.teacher, on: server, store: fixture.store, pauseAfter: 100)
        return (fixture, fixture.context(models: EngineModels(teacher: teacher), concurrency: 2))
    }

    private func expansions(_ fixture: EngineFixture) throws -> [String] {
        try fixture.read { try $0.expansions(state: nil, round: 1).map(\.instruction.text).sorted() }
    }

    @Test func anExpandTimeoutFailsOnlyItsRequestAndARerunAsksExactlyThoseAgain() async throws {
        let roles = ScriptedRoles(slowReplies: true, slowDelay: 3)
        let server = try roles.server()
        defer { server.stop() }
        let (fixture, context) = try expandFixture(roles: roles, server: server)
        /// Requests applied so far: each stored an expansion or was dropped as a duplicate.
        func applied() throws -> Int {
            let duplicates = try fixture.read { try $0.round(1)?.metrics["expansion_duplicates"] } ?? 0
            return try expansions(fixture).count + Int(duplicates)
        }

        let failure = try await #require(throws: StageItemFailures.self) { try await ExpandStage().run(round: 1, context: context) }
        let slow = bodies(server, containing: ScriptedRoles.slowMarker)
        try #require(slow > 0 && slow < Self.budget, "the plan must mix slow and other requests (\(slow) slow of \(Self.budget))")
        #expect(failure.stage == .expand && failure.failed == slow && failure.finished == Self.budget - slow)
        #expect(failure.description.contains("\(slow) expansion request(s) failed"), "\(failure)")
        let metrics = try #require(try fixture.read { try $0.round(1)?.metrics })
        #expect(metrics["expansion_requests_done"] == Double(Self.budget))
        #expect(ExpandStage.failedRequests(metrics).count == slow)
        #expect(ExpandStage.failedRequests(metrics).contains(Int(failure.firstInstructionID)))
        let errors = try fixture.events(containing: "expansion request").filter { $0.level == .error && $0.source == "expand" }
        #expect(errors.count == slow && errors.allSatisfy { $0.message.contains("timed out") }, "\(errors.map(\.message))")
        #expect(try fixture.read { try $0.stageProgress(round: 1, stage: .expand) }.map { ($0.done, $0.total) } ?? (0, 0)
                    == (Self.budget - slow, Self.budget))
        // Every request that did answer is applied.
        #expect(try applied() == Self.budget - slow)

        roles.slowReplies = false
        _ = try await ExpandStage().run(round: 1, context: context)
        #expect(try applied() == Self.budget)
        let after = try #require(try fixture.read { try $0.round(1)?.metrics })
        #expect(ExpandStage.failedRequests(after).isEmpty && after["expansion_requests_done"] == Double(Self.budget))
        // Only the failed requests were asked again.
        #expect(server.requestCount == Self.budget + slow && bodies(server, containing: ScriptedRoles.slowMarker) == 2 * slow)
        // A third run has nothing left to ask.
        _ = try await ExpandStage().run(round: 1, context: context)
        #expect(server.requestCount == Self.budget + slow)
    }

    @Test func anEndpointErrorWithEscapeSequencesIsStoredNeutralised() async throws {
        let roles = ScriptedRoles()
        let hostile = "\u{1b}[2J\u{1b}]52;c;aGVsbG8=\u{07}\u{1b}[31moverloaded\u{1b}[0m"
        let errorBody = String(decoding: try JSONSerialization.data(withJSONObject: ["error": ["message": hostile]]), as: UTF8.self)
        let server = try LoopbackHTTPServer { request in
            request.bodyText.contains("[hostile]") ? .json(errorBody, status: 500) : roles.response(to: request)
        }
        defer { server.stop() }
        let fixture = try EngineFixture()
        fixture.config.curriculum.teacher = .model
        fixture.config.curriculum.rounds = 1
        let ids = try ["Say hello.", "[hostile] Name a colour."].map { try fixture.instruction($0, category: "Others") }
        let context = fixture.context(models: EngineModels(teacher: try impatient(.teacher, on: server, store: fixture.store)),
                                      concurrency: 2)
        guard case let .failed(error) = await RoundRunner(context: context, stages: [TeachStage()]).run() else {
            Issue.record("expected the stage to fail"); return
        }
        #expect(error.contains("overloaded"), "\(error)")
        let events = try fixture.read { try $0.events() }
        let failure = try #require(events.first { $0.level == .error && $0.message.contains("instruction \(ids[1]):") })
        #expect(failure.message.contains("overloaded") && failure.message.contains("␛[31m"), "\(failure.message)")
        #expect(events.allSatisfy { !$0.message.unicodeScalars.contains { $0.value == 0x1B || $0.value == 0x07 } },
                "\(events.map(\.message))")
    }

    @Test func aPausedRoleStillStopsExpandAndEvaluate() async throws {
        let roles = ScriptedRoles(slowReplies: true, slowDelay: 3)
        let server = try roles.server()
        defer { server.stop() }
        // The first timeout pauses the teacher: the requests after it are refused, which
        // stops the stage (no per-request failures, nothing marked failed).
        let (fixture, _) = try expandFixture(roles: roles, server: server)
        let teacher = try impatient(.teacher, on: server, store: fixture.store, pauseAfter: 1)
        let context = fixture.context(models: EngineModels(teacher: teacher), concurrency: 1)
        do {
            _ = try await ExpandStage().run(round: 1, context: context)
            Issue.record("expected the paused role to stop the stage")
        } catch let error as LLMError {
            guard case .rolePaused = error else { Issue.record("unexpected \(error)"); return }
        }

        let evalFixture = try EngineFixture()
        for text in ["\(ScriptedRoles.slowMarker) Say hello.", "Name a colour.", "Spell cat."] {
            let id = try evalFixture.instruction(text, category: "Others", split: .eval)
            try evalFixture.response(id, .teacher, round: 0, ScriptedRoles.referencePrefix + text)
            try evalFixture.response(id, .student, round: 1, "My answer to \(text)")
        }
        try evalFixture.round(1)
        let judge = try impatient(.judge, on: server, store: evalFixture.store, pauseAfter: 1)
        do {
            _ = try await EvaluateStage().run(round: 1, context: evalFixture.context(models: EngineModels(judge: judge), concurrency: 1))
            Issue.record("expected the paused role to stop the stage")
        } catch let error as LLMError {
            guard case .rolePaused = error else { Issue.record("unexpected \(error)"); return }
        }
        #expect(try evalFixture.read { try $0.round(1)?.finishedAt } == nil)
    }
}
