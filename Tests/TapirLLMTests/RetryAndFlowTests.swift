import Foundation
import Testing
import TapirCore
import TapirTestSupport
@testable import TapirLLM

@Suite struct RetryTests {
    @Test func rateLimitHonoursRetryAfter() async throws {
        let server = try LoopbackHTTPServer(script: [
            .json(#"{"error":{"message":"Rate limit reached"}}"#, status: 429, headers: ["Retry-After": "1"]),
            .completion("after the wait"),
        ])
        defer { server.stop() }
        let (response, seconds) = try await timed { try await client(roleConfig(server)).complete(ask("x")) }
        #expect(response.text == "after the wait")
        #expect(server.requestCount == 2)
        #expect(seconds >= 0.95 && seconds < 5)
    }

    @Test func rateLimitHonoursResetHeaders() async throws {
        let server = try LoopbackHTTPServer(script: [
            .json(#"{"error":{"message":"Rate limit reached for requests"}}"#, status: 429,
                  headers: ["x-ratelimit-remaining-requests": "0", "x-ratelimit-reset-requests": "600ms"]),
            .completion("ok"),
        ])
        defer { server.stop() }
        let (_, seconds) = try await timed { try await client(roleConfig(server)).complete(ask("x")) }
        #expect(server.requestCount == 2)
        #expect(seconds >= 0.55 && seconds < 4.5)
    }

    @Test func serverErrorBurstIsRetriedWithBackoff() async throws {
        let server = try LoopbackHTTPServer(script: [
            .json(#"{"error":"overloaded"}"#, status: 503),
            .text("Internal Server Error", status: 500, contentType: "text/plain"),
            .json(#"{"error":"overloaded"}"#, status: 503),
            .completion("finally"),
        ])
        defer { server.stop() }
        let (response, seconds) = try await timed { try await client(roleConfig(server, maxAttempts: 5)).complete(ask("x")) }
        #expect(response.text == "finally")
        #expect(server.requestCount == 4)
        // Jittered delays of at least 0.025 + 0.05 + 0.1 s and at most 0.05 + 0.1 + 0.2 s.
        #expect(seconds >= 0.17 && seconds < 4)
    }

    @Test func givesUpAfterMaxAttempts() async throws {
        let server = try LoopbackHTTPServer { _ in .json(#"{"error":{"message":"upstream exploded"}}"#, status: 500) }
        defer { server.stop() }
        let error = await llmError { _ = try await client(roleConfig(server, maxAttempts: 3)).complete(ask("x")) }
        guard case .http(_, 500, let message, _)? = error else { Issue.record("got \(String(describing: error))"); return }
        #expect(message == "upstream exploded")
        #expect(server.requestCount == 3)
    }

    @Test func droppedConnectionMidBodyIsRetried() async throws {
        let full = Data(ScriptedResponse.completionJSON("complete").utf8)
        let server = try LoopbackHTTPServer(script: [
            .dropMidBody(status: 200, body: full, sentBytes: 30),
            .close,
            .completion("complete"),
        ])
        defer { server.stop() }
        let response = try await client(roleConfig(server)).complete(ask("x"))
        #expect(response.text == "complete")
        #expect(server.requestCount == 3)
    }

    @Test func droppedConnectionIsATransportErrorWhenAttemptsRunOut() async throws {
        let full = Data(ScriptedResponse.completionJSON("complete").utf8)
        let server = try LoopbackHTTPServer(script: [.dropMidBody(status: 200, body: full, sentBytes: 30)])
        defer { server.stop() }
        let error = await llmError { _ = try await client(roleConfig(server, maxAttempts: 1)).complete(ask("x")) }
        guard case .transport(_, .dropped, _)? = error else { Issue.record("got \(String(describing: error))"); return }
    }
}

@Suite struct FlowControlTests {
    @Test func concurrencyNeverExceedsTheLimit() async throws {
        let server = try LoopbackHTTPServer { _ in .completion("ok", delay: 0.1) }
        defer { server.stop() }
        let model = try client(roleConfig(server, maxConcurrency: 3))
        try await withThrowingTaskGroup(of: Void.self) { group in
            for index in 0..<12 { group.addTask { _ = try await model.complete(ask("q\(index)")) } }
            try await group.waitForAll()
        }
        #expect(server.requestCount == 12)
        #expect(server.maxInFlight == 3)
        #expect(await model.flow.active == 0)
    }

    @Test func requestsPerMinuteSpacesCallsOut() async throws {
        let server = try LoopbackHTTPServer { _ in .completion("ok") }
        defer { server.stop() }
        // 60 RPM: a burst of 6, then one per second.
        let model = try client(roleConfig(server, requestsPerMinute: 60))
        let (_, seconds) = try await timed {
            try await withThrowingTaskGroup(of: Void.self) { group in
                for index in 0..<8 { group.addTask { _ = try await model.complete(ask("q\(index)")) } }
                try await group.waitForAll()
            }
        }
        #expect(server.requestCount == 8)
        #expect(seconds >= 1.8 && seconds < 8)
    }

    @Test func tokenBudgetIsCorrectedByReportedUsage() async throws {
        // 6000 TPM = 100 tokens/s with a burst of 600. The estimate is ~100 tokens, but the
        // server reports 700, leaving the bucket 100 tokens in debt: the next call waits ~2 s.
        let server = try LoopbackHTTPServer { _ in .completion("ok", promptTokens: 400, completionTokens: 300) }
        defer { server.stop() }
        let model = try client(roleConfig(server, tokensPerMinute: 6000))
        let sampling = SamplingParameters(maxTokens: 100)
        // Timed over both calls: the refill during a slow first call must not hide the debt.
        let (_, seconds) = try await timed {
            _ = try await model.complete(ask("first", sampling: sampling))
            return try await model.complete(ask("second", sampling: sampling))
        }
        #expect(seconds >= 1.5 && seconds < 10)
    }

    @Test func cancellationRemovesTheTransferPromptly() async throws {
        let server = try LoopbackHTTPServer { _ in .completion("too late", delay: 5) }
        defer { server.stop() }
        let model = try client(roleConfig(server))
        let task = Task { try await model.complete(ask("slow")) }
        try await Task.sleep(for: .milliseconds(200))
        let (result, seconds) = await timed {
            task.cancel()
            return await task.result
        }
        // Far below the reply's 5 s delay (loose bound: the suite also runs on busy machines).
        #expect(seconds < 3)
        guard case .failure(let error) = result else { Issue.record("the call was not cancelled"); return }
        #expect(error is CancellationError)
        #expect(await model.flow.active == 0)
        // The loop keeps serving other calls afterwards.
        let other = try LoopbackHTTPServer(script: [.completion("fine")])
        defer { other.stop() }
        #expect(try await client(roleConfig(other)).complete(ask("x")).text == "fine")
    }
}

@Suite struct RoleHealthTests {
    @Test func rejectedKeyPausesTheRoleAtOnce() async throws {
        let server = try LoopbackHTTPServer { _ in .json(#"{"error":{"message":"Incorrect API key provided"}}"#, status: 401) }
        defer { server.stop() }
        let model = try client(roleConfig(server))
        let first = await llmError { _ = try await model.complete(ask("x")) }
        #expect(first?.status == 401)
        #expect(model.health.state == .paused)
        #expect(model.health.reason?.contains("401") == true)
        let second = await llmError { _ = try await model.complete(ask("y")) }
        guard case .rolePaused(let role, let reason)? = second else { Issue.record("got \(String(describing: second))"); return }
        #expect(role == "teacher")
        #expect(reason.contains("401"))
        #expect(second?.isRefusal == true && second?.isRetryable == false)
        #expect(server.requestCount == 1)
        await model.healthMonitor.resume()
        #expect(model.health.state == .ok)
    }

    @Test func repeatedFailuresPauseAfterTheThreshold() async throws {
        let responses = ResponseQueue([
            .json("{}", status: 503), .json("{}", status: 503), .completion("ok"),
            .json("{}", status: 503), .json("{}", status: 503),
        ])
        let server = try LoopbackHTTPServer { _ in responses.next() ?? .completion("unused") }
        defer { server.stop() }
        let changes = CapturingLogHandler.Lines()
        let model = try OpenAIClient(role: .judge, config: roleConfig(server, maxAttempts: 1), environment: [:],
                                     retryPolicy: fastRetry, pauseAfterFailures: 2,
                                     onHealthChange: { changes.append("\($0.state.rawValue) \($0.revision)") })
        _ = await llmError { _ = try await model.complete(ask("1")) }
        #expect(model.health.state == .failing)
        #expect(model.health.consecutiveFailures == 1)
        _ = await llmError { _ = try await model.complete(ask("2")) }
        #expect(model.health.state == .paused)
        await model.healthMonitor.resume()
        _ = try await model.complete(ask("3"))
        #expect(model.health.state == .ok && model.health.reason == nil && model.health.consecutiveFailures == 0)
        #expect(model.health.lastSuccessAt != nil && model.health.lastError?.contains("503") == true)
        _ = await llmError { _ = try await model.complete(ask("4")) }
        _ = await llmError { _ = try await model.complete(ask("5")) }
        #expect(model.health.state == .paused)
        #expect(model.health.lastError?.contains("503") == true)
        // Every change is reported with a growing revision; a plain success is reported once.
        let reported = changes.all
        #expect(reported == ["failing 1", "paused 2", "ok 3", "ok 4", "failing 5", "paused 6"])
    }
}

@Suite struct GarbledReplyRetryTests {
    @Test func truncatedBodyIsRetriedButAnswerlessReplyIsNot() async throws {
        let truncated = try LoopbackHTTPServer(script: [.json(#"{"choices":[{"message":{"content":"cut"#), .completion("whole")])
        defer { truncated.stop() }
        #expect(try await client(roleConfig(truncated)).complete(ask("x")).text == "whole")
        #expect(truncated.requestCount == 2)

        let empty = try LoopbackHTTPServer { _ in .json(#"{"choices":[]}"#) }
        defer { empty.stop() }
        let error = await llmError { _ = try await client(roleConfig(empty, maxAttempts: 4)).complete(ask("x")) }
        #expect(error?.isRetryable == false)
        #expect(empty.requestCount == 1)
    }
}

@Suite struct TimeoutRetryTests {
    @Test func timedOutAttemptIsRetried() async throws {
        let server = try LoopbackHTTPServer(script: [.completion("late", delay: 5), .completion("prompt")])
        defer { server.stop() }
        let (response, seconds) = try await timed {
            try await client(roleConfig(server, maxAttempts: 2, timeout: 0.3)).complete(ask("x"))
        }
        #expect(response.text == "prompt")
        #expect(server.requestCount == 2)
        // Well before the late reply's 5 s (loose bound: busy machines).
        #expect(seconds >= 0.3 && seconds < 4)
    }
}
