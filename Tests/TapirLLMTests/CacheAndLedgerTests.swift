import Foundation
import Logging
import Testing
import TapirCore
import TapirTestSupport
import TapirStore
@testable import TapirLLM

@Suite struct CacheAndLedgerTests {
    @Test func sameRequestIsAnsweredFromTheStore() async throws {
        let server = try LoopbackHTTPServer { _ in .completion("fresh", promptTokens: 20, completionTokens: 10, delay: 0.05) }
        defer { server.stop() }
        let db = try TempWorkspaceStore()
        let store = db.store
        let model = CachingChatModel(base: try client(roleConfig(server, priceIn: 1, priceOut: 2)), store: store)
        let first = try await model.complete(ask("What is 2+2?", round: 1, stage: .teach))
        let second = try await model.complete(ask("What is 2+2?", round: 1, stage: .teach))
        #expect(!first.cached)
        #expect(second.cached)
        #expect(second.text == "fresh")
        #expect(second.usage == first.usage)
        #expect(server.requestCount == 1)
        #expect(try db.calls().count == 1)
    }

    @Test func purposeIsNotPartOfTheKeyButSamplingIs() async throws {
        let server = try LoopbackHTTPServer { _ in .completion("a") }
        defer { server.stop() }
        let base = try client(roleConfig(server))
        let plain = ask("same")
        var otherPurpose = plain
        otherPurpose.purpose = CallPurpose(role: .judge, stage: .judge, round: 3)
        var otherSampling = plain
        otherSampling.sampling.seed = 7
        #expect(base.requestHash(for: plain) == base.requestHash(for: otherPurpose))
        #expect(base.requestHash(for: plain) != base.requestHash(for: otherSampling))
        #expect(base.requestHash(for: plain).count == 64)
        // A different endpoint or model is a different call.
        var elsewhere = roleConfig(server)
        elsewhere.model = "other-model"
        #expect(try client(elsewhere).requestHash(for: plain) != base.requestHash(for: plain))
    }

    @Test func concurrentIdenticalRequestsPayOnce() async throws {
        let server = try LoopbackHTTPServer { _ in .completion("shared", delay: 0.2) }
        defer { server.stop() }
        let db = try TempWorkspaceStore()
        let store = db.store
        let model = CachingChatModel(base: try client(roleConfig(server)), store: store)
        let responses = try await withThrowingTaskGroup(of: ChatResponse.self) { group in
            for _ in 0..<5 { group.addTask { try await model.complete(ask("same question")) } }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(server.requestCount == 1)
        #expect(responses.allSatisfy { $0.text == "shared" })
        #expect(responses.filter { !$0.cached }.count == 1)
        #expect(try db.calls().count == 1)
    }

    @Test func aCancelledJoinerLeavesPromptlyAndTheCallGoesOn() async throws {
        let server = try LoopbackHTTPServer { _ in .completion("slow", delay: 1.0) }
        defer { server.stop() }
        let db = try TempWorkspaceStore()
        let model = CachingChatModel(base: try client(roleConfig(server)), store: db.store)
        let owner = Task { try await model.complete(ask("q")) }
        // The owner's request is at the server before the second caller starts, so that one joins.
        for _ in 0..<200 where server.requestCount == 0 { try await Task.sleep(for: .milliseconds(10)) }
        let joiner = Task { try await model.complete(ask("q")) }
        try await Task.sleep(for: .milliseconds(100))
        let (result, seconds) = await timed {
            joiner.cancel()
            return await joiner.result
        }
        #expect(seconds < 0.3)
        guard case .failure(let error) = result else { Issue.record("the joiner was not cancelled"); return }
        #expect(error is CancellationError)
        #expect(try await owner.value.text == "slow")
        #expect(server.requestCount == 1)
    }

    @Test func cacheCanBeBypassed() async throws {
        let server = try LoopbackHTTPServer { _ in .completion("fresh") }
        defer { server.stop() }
        let db = try TempWorkspaceStore()
        let store = db.store
        let model = CachingChatModel(base: try client(roleConfig(server)), store: store, useCache: false)
        _ = try await model.complete(ask("q"))
        let again = try await model.complete(ask("q"))
        #expect(!again.cached)
        #expect(server.requestCount == 2)
        // Both calls were paid, so both are in the ledger; the cache keeps one entry.
        #expect(try db.calls().count == 2)
        #expect(try await db.store.read { try $0.cachedRequestCount() } == 1)
    }

    @Test func ledgerRecordsCostsAndFailures() async throws {
        let responses = ResponseQueue([
            .completion("one", promptTokens: 1000, completionTokens: 200),
            .completion("two", promptTokens: 3000, completionTokens: 800),
            .json(#"{"error":{"message":"bad request: prompt too long"}}"#, status: 400),
        ])
        let server = try LoopbackHTTPServer { _ in responses.next() ?? .completion("unused") }
        defer { server.stop() }
        let db = try TempWorkspaceStore()
        let store = db.store
        let model = CachingChatModel(base: try client(roleConfig(server, priceIn: 2.5, priceOut: 10)), store: store)
        _ = try await model.complete(ask("a", round: 1, stage: .teach))
        _ = try await model.complete(ask("b", round: 2, stage: .judge))
        _ = await llmError { _ = try await model.complete(ask("c", round: 2, stage: .judge)) }
        let records = try db.calls()
        #expect(records.map(\.status) == [.ok, .ok, .error])
        #expect(records.map(\.round) == [1, 2, 2])
        #expect(records.map(\.stage) == [.teach, .judge, .judge])
        #expect(records.allSatisfy { $0.role == .teacher && $0.endpoint == server.baseURL && $0.model == "test-model" })
        let expected = (4000 * 2.5 + 1000 * 10) / 1_000_000
        #expect(abs(records.reduce(0) { $0 + $1.cost } - expected) < 1e-12)
        #expect(records.reduce(0) { $0 + $1.promptTokens } == 4000)
        #expect(records.reduce(0) { $0 + $1.completionTokens } == 1000)
        #expect(records[2].error?.contains("prompt too long") == true)
        #expect(records[2].responseText == nil)
        // A failed call is not a cache entry: asking again reaches the server.
        _ = await llmError { _ = try await model.complete(ask("c", round: 2, stage: .judge)) }
        #expect(server.requestCount == 4)
    }

    @Test func budgetCapRefusesNewCalls() async throws {
        let server = try LoopbackHTTPServer { _ in .completion("pricey", promptTokens: 100_000, completionTokens: 0) }
        defer { server.stop() }
        let db = try TempWorkspaceStore()
        let store = db.store
        // $1 per million prompt tokens: each call costs $0.10; the round cap is $0.15, the run cap $0.25.
        let budget = BudgetGuard(runCapUSD: 0.25, roundCapUSD: 0.15)
        let model = CachingChatModel(base: try client(roleConfig(server, priceIn: 1)), store: store, budget: budget)
        _ = try await model.complete(ask("1", round: 1))
        _ = try await model.complete(ask("2", round: 1))
        let roundError = await llmError { _ = try await model.complete(ask("3", round: 1)) }
        guard case .budgetExceeded(.round, let cap, let spent)? = roundError else { Issue.record("got \(String(describing: roundError))"); return }
        #expect(cap == 0.15)
        #expect(abs(spent - 0.2) < 1e-9)
        _ = try await model.complete(ask("4", round: 2))
        let runError = await llmError { _ = try await model.complete(ask("5", round: 2)) }
        guard case .budgetExceeded(.run, _, _)? = runError else { Issue.record("got \(String(describing: runError))"); return }
        #expect(server.requestCount == 3)
        // Cached answers stay free even past the cap.
        #expect(try await model.complete(ask("1", round: 1)).cached)
    }
}

@Suite struct RedactionTests {
    static let key = "sk-live-REDACTME-0123456789abcdef"

    /// A server that echoes every request header back in an error body.
    static func echoServer(status: Int) throws -> LoopbackHTTPServer {
        try LoopbackHTTPServer { request in
            let echoed = request.headers.map { "\($0.key): \($0.value)" }.sorted().joined(separator: "\n")
            return .text("<html><body><pre>Request headers:\n\(echoed)\nbody=\(request.bodyText)</pre></body></html>", status: status)
        }
    }

    @Test(arguments: [401, 500, 200])
    func keyNeverAppearsInErrorsRecordsOrHealth(status: Int) async throws {
        let server = try Self.echoServer(status: status)
        defer { server.stop() }
        var config = roleConfig(server, apiKeyEnv: "TAPIR_TEST_KEY", maxAttempts: 2)
        config.extraHeaders = ["X-Gateway-Token": "${TAPIR_GATEWAY_TOKEN}"]
        let environment = ["TAPIR_TEST_KEY": Self.key, "TAPIR_GATEWAY_TOKEN": "gw-token-9876543210"]
        let lines = CapturingLogHandler.Lines()
        let logger = Logger(label: "redaction") { _ in CapturingLogHandler(lines: lines) }
        let base = try client(config, environment: environment, logger: logger)
        let db = try TempWorkspaceStore()
        let store = db.store
        let model = CachingChatModel(base: base, store: store)
        var thrown: Error?
        do { _ = try await model.complete(ask("hello")) } catch { thrown = error }
        let error = try #require(thrown)
        // The server really received both secrets and echoed them.
        let received = try #require(server.requests.first)
        #expect(received.headers["authorization"] == "Bearer \(Self.key)")
        #expect(received.headers["x-gateway-token"] == "gw-token-9876543210")

        #expect(!lines.all.isEmpty)
        let texts = [String(describing: error), "\(error)", try db.calls().map { "\($0)" }.joined(),
                     base.health.lastError ?? "", base.health.reason ?? ""] + lines.all
        for text in texts {
            #expect(!text.contains(Self.key))
            #expect(!text.contains("REDACTME"))
            #expect(!text.contains("gw-token-9876543210"))
        }
        #expect(String(describing: error).contains(Redactor.mask))
    }
}
