import Foundation
import Testing
import TapirCore
import TapirStore
import TapirTestSupport
@testable import TapirLLM

/// The client's cache and ledger on the real workspace database.
@Suite struct WorkspaceCallStoreTests {
    @Test func aRestartedEngineIsAnsweredFromTheDatabaseFile() async throws {
        let server = try LoopbackHTTPServer { _ in .completion("stored answer", promptTokens: 12, completionTokens: 5) }
        defer { server.stop() }
        let db = try TempWorkspaceStore()
        let first = CachingChatModel(base: try client(roleConfig(server, priceIn: 1, priceOut: 1)), store: db.store)
        let fresh = try await first.complete(ask("Name a prime.", round: 1, stage: .teach))
        #expect(!fresh.cached)

        // A second connection on the same file, with a new client: as after a restart (which
        // follows a run that committed its ledger).
        try await db.store.flushLedger()
        let reopened = try db.reopen()
        let second = CachingChatModel(base: try client(roleConfig(server, priceIn: 1, priceOut: 1)), store: reopened)
        let hit = try await second.complete(ask("Name a prime.", round: 1, stage: .teach))
        #expect(hit.cached)
        #expect(hit.text == "stored answer")
        #expect(hit.usage == TokenUsage(promptTokens: 12, completionTokens: 5))
        #expect(hit.finishReason == .stop)
        #expect(hit.model == fresh.model)
        #expect(abs(hit.cost - fresh.cost) < 1e-15)
        #expect(server.requestCount == 1)
        #expect(try db.calls().count == 1)
    }

    @Test func aPaidCallIsRecordedEvenWhenItsTaskWasCancelled() async throws {
        let db = try TempWorkspaceStore()
        let call = LLMCallRecord(
            requestHash: "paid", role: .teacher, stage: .teach, round: 1, endpoint: "http://x/v1", model: "m", status: .ok,
            responseText: "answer", finishReason: "stop", promptTokens: 10, completionTokens: 2, cost: 0.01, latency: 0.1)
        let store = db.store
        let task = Task {
            withUnsafeCurrentTask { $0?.cancel() }
            CachingChatModel<OpenAIClient>.record(call, in: store)
        }
        await task.value
        try await store.flushLedger()
        #expect(try db.calls().map(\.requestHash) == ["paid"])
        #expect(try db.store.cachedCall(requestHash: "paid")?.cachedResponse?.text == "answer")
    }

    @Test func unknownStoredFinishReasonBecomesOther() async throws {
        let db = try TempWorkspaceStore()
        try db.store.recordCall(LLMCallRecord(
            requestHash: "h1", role: .judge, endpoint: "http://x/v1", model: "m", status: .ok, responseText: "t",
            finishReason: "tool_calls", promptTokens: 3, completionTokens: 4, cost: 0.5, latency: 0.25))
        let response = try #require(try db.store.cachedCall(requestHash: "h1")?.cachedResponse)
        #expect(response.finishReason == .other)
        #expect(response.cached)
        #expect(response.text == "t" && response.usage.totalTokens == 7 && response.latency == 0.25)
        #expect(try db.store.cachedCall(requestHash: "missing") == nil)
    }

    @Test func failedCallsAreStoredRedactedAndNeverServedFromTheCache() async throws {
        let key = "sk-live-SQLITE-SECRET-42424242"
        let server = try LoopbackHTTPServer { request in
            let auth = request.headers["authorization"] ?? ""
            return .text("<html>denied for \(auth)</html>", status: 401)
        }
        defer { server.stop() }
        let db = try TempWorkspaceStore()
        let model = CachingChatModel(
            base: try client(roleConfig(server, apiKeyEnv: "TAPIR_SQLITE_KEY", maxAttempts: 1),
                             environment: ["TAPIR_SQLITE_KEY": key]),
            store: db.store)
        _ = await llmError { _ = try await model.complete(ask("hello", round: 2, stage: .judge)) }
        _ = await llmError { _ = try await model.complete(ask("hello", round: 2, stage: .judge)) }
        // A rejected key pauses the role: the second call is refused without a request, so
        // it is not in the ledger (nothing was sent or paid).
        #expect(server.requestCount == 1)
        #expect(server.requests.first?.headers["authorization"] == "Bearer \(key)")
        let calls = try db.calls()
        #expect(calls.count == 1)
        #expect(calls.allSatisfy { $0.status == .error && $0.responseText == nil })
        let error = try #require(calls.first?.error)
        #expect(error.contains("401"))
        #expect(error.contains(Redactor.mask))
        #expect(!error.contains("SQLITE-SECRET"))
        // Not in any byte of the database files either (main file and WAL).
        for suffix in ["", "-wal"] {
            if let bytes = FileManager.default.contents(atPath: db.databasePath + suffix) {
                #expect(!String(decoding: bytes, as: UTF8.self).contains("SQLITE-SECRET"))
            }
        }
        let ledger = try db.ledger()
        #expect(ledger.count == 1)
        #expect(ledger.first?.errors == 1 && ledger.first?.calls == 1 && ledger.first?.cost == 0)
    }

    @Test func ledgerTotalsPerRoleStageAndRound() async throws {
        let server = try LoopbackHTTPServer { request in
            // Token counts follow the question, so totals are known in advance.
            let n = request.bodyText.contains("long") ? 1000 : 100
            return .completion("ok", promptTokens: n, completionTokens: n / 10)
        }
        defer { server.stop() }
        let db = try TempWorkspaceStore()
        let teacher = CachingChatModel(base: try client(roleConfig(server, priceIn: 2, priceOut: 8), role: .teacher), store: db.store)
        let judge = CachingChatModel(base: try client(roleConfig(server, model: "judge-model", priceIn: 1, priceOut: 4), role: .judge),
                                     store: db.store)
        func purpose(_ text: String, _ role: ModelRole, _ stage: Stage, _ round: Int) -> ChatRequest {
            ChatRequest(messages: [.user(text)], purpose: CallPurpose(role: role, stage: stage, round: round))
        }
        _ = try await teacher.complete(purpose("short a", .teacher, .teach, 1))
        _ = try await teacher.complete(purpose("long b", .teacher, .teach, 1))
        _ = try await teacher.complete(purpose("short c", .teacher, .expand, 1))
        _ = try await judge.complete(purpose("long d", .judge, .judge, 1))
        _ = try await judge.complete(purpose("short e", .judge, .judge, 2))
        _ = try await judge.complete(purpose("short e", .judge, .judge, 2))  // cached: free, not stored again

        let rows = try db.ledger()
        func row(_ role: ModelRole, _ stage: Stage, _ round: Int) -> LedgerRow? {
            rows.first { $0.role == role && $0.stage == stage && $0.round == round }
        }
        #expect(rows.count == 4)
        let teach = try #require(row(.teacher, .teach, 1))
        #expect(teach.calls == 2 && teach.promptTokens == 1100 && teach.completionTokens == 110)
        #expect(abs(teach.cost - (1100 * 2 + 110 * 8) / 1e6) < 1e-12)
        let expand = try #require(row(.teacher, .expand, 1))
        #expect(expand.calls == 1 && abs(expand.cost - (100 * 2 + 10 * 8) / 1e6) < 1e-12)
        let judge1 = try #require(row(.judge, .judge, 1))
        #expect(judge1.calls == 1 && abs(judge1.cost - (1000 * 1 + 100 * 4) / 1e6) < 1e-12)
        let judge2 = try #require(row(.judge, .judge, 2))
        #expect(judge2.calls == 1 && judge2.promptTokens == 100 && abs(judge2.cost - (100 + 10 * 4) / 1e6) < 1e-12)
        #expect(server.requestCount == 5)
        let total = try await db.store.read { try $0.totalCost() }
        #expect(abs(total - rows.reduce(0) { $0 + $1.cost }) < 1e-12)
    }

    @Test func budgetGuardSeededFromTheWorkspaceLedger() async throws {
        let db = try TempWorkspaceStore()
        for (hash, round, cost) in [("a", 1, 0.30), ("b", 1, 0.25), ("c", 2, 0.10)] {
            try db.store.recordCall(LLMCallRecord(requestHash: hash, role: .teacher, stage: .teach, round: round,
                                                  endpoint: "http://x/v1", model: "m", status: .ok, responseText: "t", cost: cost))
        }
        var config = TapirConfig.defaults
        config.budgets = BudgetConfig(runUSD: 1.0, roundUSD: 0.5)
        let guardrail = try await BudgetGuard.fromWorkspace(store: db.store, config: config)
        #expect(abs(await guardrail.runSpentUSD - 0.65) < 1e-12)
        #expect(abs(await guardrail.spent(round: 1) - 0.55) < 1e-12)
        #expect(abs(await guardrail.spent(round: 2) - 0.10) < 1e-12)
        #expect(await guardrail.runCapUSD == 1.0)
        #expect(await guardrail.roundCapUSD == 0.5)
        // Round 1 already spent past its cap; round 2 and 3 may still spend.
        do {
            try await guardrail.check(round: 1)
            Issue.record("round 1 is over its cap")
        } catch let error as LLMError {
            guard case .budgetExceeded(.round, 0.5, let spent) = error else { Issue.record("got \(error)"); return }
            #expect(abs(spent - 0.55) < 1e-12)
        }
        try await guardrail.check(round: 2)
        try await guardrail.check(round: 3)
        await guardrail.add(costUSD: 0.40, round: 2)
        do {
            try await guardrail.check(round: 3)
            Issue.record("the run is over its cap")
        } catch let error as LLMError {
            guard case .budgetExceeded(.run, 1.0, _) = error else { Issue.record("got \(error)"); return }
        }
        // No caps configured: never refuses.
        let open = try await BudgetGuard.fromWorkspace(store: db.store, config: .defaults)
        try await open.check(round: 1)
        #expect(abs(await open.runSpentUSD - 0.65) < 1e-12)
    }
}
