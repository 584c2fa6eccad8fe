import Foundation
import Testing
import TapirCore
import TapirStore
import TapirTestSupport
@testable import TapirLLM

/// Role health written to the workspace, kept across restarts, cleared by resuming.
@Suite struct StoredRoleHealthTests {
    func storedClient(_ server: LoopbackHTTPServer, _ store: WorkspaceStore, maxAttempts: Int = 1,
                      pauseAfter: Int = 2) async throws -> OpenAIClient {
        try await OpenAIClient.withStoredHealth(role: .teacher, config: roleConfig(server, maxAttempts: maxAttempts),
                                                store: store, environment: [:], retryPolicy: fastRetry,
                                                pauseAfterFailures: pauseAfter)
    }

    @Test func aPausedRoleStaysPausedAfterARestartUntilResumed() async throws {
        let responses = ResponseQueue([
            .json(#"{"error":{"message":"upstream overloaded"}}"#, status: 503),
            .json(#"{"error":{"message":"upstream overloaded"}}"#, status: 503),
        ])
        let server = try LoopbackHTTPServer { _ in responses.next() ?? .completion("back") }
        defer { server.stop() }
        let db = try TempWorkspaceStore()
        let first = CachingChatModel(base: try await storedClient(server, db.store), store: db.store)
        _ = await llmError { _ = try await first.complete(ask("1")) }
        let failing = try #require(try await db.store.read { try $0.roleHealth(role: .teacher) })
        #expect(failing.state == .failing && failing.consecutiveFailures == 1 && failing.lastFailureAt != nil)
        _ = await llmError { _ = try await first.complete(ask("2")) }
        let paused = try #require(try db.store.roleHealth().first)
        #expect(paused.role == .teacher && paused.state == .paused)
        #expect(paused.reason?.contains("2 consecutive requests failed") == true)
        #expect(paused.reason?.contains("upstream overloaded") == true)

        // A restarted engine (new connection, new client) refuses the role at once.
        let reopened = try db.reopen()
        let second = CachingChatModel(base: try await storedClient(server, reopened), store: reopened)
        let refused = await llmError { _ = try await second.complete(ask("3")) }
        guard case .rolePaused("teacher", let reason)? = refused else { Issue.record("got \(String(describing: refused))"); return }
        #expect(reason.contains("upstream overloaded"))
        #expect(server.requestCount == 2)
        #expect(try db.calls().count == 2)  // the refusal reached nothing and is not in the ledger

        // `tapir resume` clears it in the store; the next engine uses the role again.
        let resumed = try await reopened.write { try $0.resumeRoles() }
        #expect(resumed.map(\.role) == [.teacher])
        #expect(try reopened.roleHealth().first?.state == .ok)
        let third = CachingChatModel(base: try await storedClient(server, reopened), store: reopened)
        #expect(try await third.complete(ask("3")).text == "back")
        let healthy = try #require(try reopened.roleHealth().first)
        #expect(healthy.state == .ok && healthy.reason == nil && healthy.consecutiveFailures == 0)
        #expect(healthy.lastSuccessAt != nil && healthy.lastError?.contains("503") == true)
        #expect(healthy.revision > resumed[0].revision)
    }

    @Test func aRejectedKeyIsStoredRedacted() async throws {
        let key = "sk-live-HEALTH-SECRET-777777"
        let server = try LoopbackHTTPServer { request in
            .json(#"{"error":{"message":"Incorrect API key provided: \#(request.headers["authorization"] ?? "")"}}"#, status: 401)
        }
        defer { server.stop() }
        let db = try TempWorkspaceStore()
        let base = try await OpenAIClient.withStoredHealth(
            role: .judge, config: roleConfig(server, apiKeyEnv: "TAPIR_HEALTH_KEY", maxAttempts: 1), store: db.store,
            environment: ["TAPIR_HEALTH_KEY": key], retryPolicy: fastRetry)
        _ = await llmError { _ = try await base.complete(ask("x")) }
        let stored = try #require(try await db.store.read { try $0.roleHealth(role: .judge) })
        #expect(stored.state == .paused)
        #expect(stored.reason?.contains("401") == true)
        let text = "\(stored.reason ?? "") \(stored.lastError ?? "")"
        #expect(!text.contains("HEALTH-SECRET"))
        #expect(stored.lastError?.contains(Redactor.mask) == true)
        #expect((stored.lastError?.count ?? 0) <= RoleHealthRecord.maxTextLength)
    }
}

/// One ledger row per paid call; one cache entry per request hash.
@Suite struct LedgerPerCallTests {
    @Test func everyPaidCallIsOneRowAndTheCacheKeepsTheLatestReply() async throws {
        let counter = ResponseQueue((1...4).map { .completion("reply \($0)", promptTokens: 100, completionTokens: 10) } + [
            .json(#"{"error":{"message":"bad request"}}"#, status: 400),
            .completion("reply 6", promptTokens: 100, completionTokens: 10),
        ])
        let server = try LoopbackHTTPServer { _ in counter.next() ?? .completion("unused") }
        defer { server.stop() }
        let db = try TempWorkspaceStore()
        let base = try client(roleConfig(server, maxAttempts: 1, priceIn: 1, priceOut: 1))
        let bypass = CachingChatModel(base: base, store: db.store, useCache: false)
        let cached = CachingChatModel(base: base, store: db.store)
        for _ in 0..<3 { _ = try await bypass.complete(ask("same", round: 1, stage: .teach)) }
        _ = try await bypass.complete(ask("other", round: 1, stage: .teach))
        _ = await llmError { _ = try await bypass.complete(ask("same", round: 1, stage: .teach)) }
        // The cache answers with the latest successful reply, adding no row and no cost.
        let hit = try await cached.complete(ask("same", round: 1, stage: .teach))
        #expect(hit.cached && hit.text == "reply 3")
        _ = try await cached.complete(ask("other", round: 1, stage: .teach))

        let calls = try db.calls()
        #expect(server.requestCount == 5)
        #expect(calls.count == server.requestCount)
        #expect(calls.map(\.status) == [.ok, .ok, .ok, .ok, .error])
        #expect(calls.last?.error?.contains("bad request") == true)
        #expect(try await db.store.read { try $0.cachedRequestCount() } == 2)
        let ledger = try db.ledger()
        #expect(ledger.count == 1 && ledger[0].calls == 5 && ledger[0].errors == 1)
        #expect(abs(ledger[0].cost - 4 * 110 / 1e6) < 1e-15)
        // A bypassed call after that replaces the entry.
        _ = try await bypass.complete(ask("same", round: 1, stage: .teach))
        #expect(try await cached.complete(ask("same", round: 1, stage: .teach)).text == "reply 6")
        #expect(try db.calls().count == 6 && server.requestCount == 6)
    }

    @Test func retriedAttemptsBelongToTheCallsOneRow() async throws {
        let responses = ResponseQueue([
            .json("{}", status: 503), .completion("second try"),
            .json("{}", status: 500), .json("{}", status: 500), .json("{}", status: 500),
            .completion("at once"),
        ])
        let server = try LoopbackHTTPServer { _ in responses.next() ?? .completion("unused") }
        defer { server.stop() }
        let db = try TempWorkspaceStore()
        let model = CachingChatModel(base: try client(roleConfig(server, maxAttempts: 3), pauseAfter: 5), store: db.store)
        #expect(try await model.complete(ask("a")).text == "second try")
        _ = await llmError { _ = try await model.complete(ask("b")) }
        #expect(try await model.complete(ask("c")).text == "at once")
        #expect(try await model.complete(ask("c")).cached)
        let calls = try db.calls()
        #expect(calls.map(\.attempts) == [2, 3, 1])
        #expect(calls.map(\.status) == [.ok, .error, .ok])
        // Every request the endpoint saw is accounted for by exactly one row.
        #expect(calls.reduce(0) { $0 + $1.attempts } == server.requestCount)
    }
}
