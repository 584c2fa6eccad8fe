import Foundation
import Testing
import TapirCore
import TapirStore
import TapirTestSupport
@testable import TapirLLM

/// `stream(_:)` hands text on as the server sends it.
@Suite struct StreamingTests {
    /// Collects a stream: the text pieces with their arrival times, and the final reply.
    struct Collected {
        var pieces: [(text: String, at: Double, date: Date)] = []
        var final: ChatResponse?
        var error: Error?
        var text: String { pieces.map(\.text).joined() }
    }

    static func collect(_ stream: AsyncThrowingStream<ChatDelta, Error>) async -> Collected {
        var collected = Collected()
        let start = ContinuousClock.now
        do {
            for try await delta in stream {
                let elapsed = start.duration(to: .now)
                let at = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
                switch delta {
                case .text(let piece): collected.pieces.append((piece, at, Date()))
                case .finished(let response): collected.final = response
                }
            }
        } catch {
            collected.error = error
        }
        return collected
    }

    @Test func theFirstPieceArrivesBeforeTheServerSendsTheLast() async throws {
        // 4 pieces then finish, usage and [DONE]: 7 events 0.35 s apart, the last sent after ≥ 2.45 s.
        let server = try LoopbackHTTPServer(script: [
            .completionStream(["Once", " upon", " a", " time"], promptTokens: 9, completionTokens: 4, interval: 0.35),
        ])
        defer { server.stop() }
        let model = try client(roleConfig(server, priceIn: 1, priceOut: 2))
        let collected = await Self.collect(model.stream(ask("tell a story")))
        #expect(collected.error == nil)
        #expect(collected.pieces.map(\.text) == ["Once", " upon", " a", " time"])
        // Compared with the server's own clock rather than a fixed bound, so a loaded machine
        // cannot fail it: the first piece is in hand before the server wrote the stream's end.
        let first = try #require(collected.pieces.first?.date)
        let streamEnd = try #require(server.exchanges.first?.answered)
        #expect(first < streamEnd)
        let final = try #require(collected.final)
        #expect(final.text == "Once upon a time")
        #expect(final.usage == TokenUsage(promptTokens: 9, completionTokens: 4))
        #expect(final.finishReason == .stop && !final.cached)
        #expect(abs(final.cost - (9 * 1 + 4 * 2) / 1e6) < 1e-15)
        // The request asked for a stream, whatever the role's `stream` setting.
        let body = try JSONValue.parse(data: try #require(server.requests.first).body)
        #expect(body["stream"] == .bool(true))
        #expect(server.requests.first?.headers["accept"] == "text/event-stream")
    }

    @Test func aStreamCutMidWayIsATypedErrorAndCachesNothing() async throws {
        let server = try LoopbackHTTPServer { _ in .completionStream(["half", " an", " answ"], interval: 0.05, cut: true) }
        defer { server.stop() }
        let db = try TempWorkspaceStore()
        let model = CachingChatModel(base: try client(roleConfig(server, maxAttempts: 3)), store: db.store)
        let collected = await Self.collect(model.stream(ask("q", round: 1, stage: .teach)))
        #expect(collected.text == "half an answ")
        #expect(collected.final == nil)
        let error = try #require(collected.error as? LLMError)
        guard case .transport(_, .dropped, _) = error else { Issue.record("got \(error)"); return }
        // Text was already handed on, so the attempt is not retried behind the caller's back.
        #expect(server.requestCount == 1)
        let calls = try db.calls()
        #expect(calls.count == 1)
        #expect(calls.first?.status == .error && calls.first?.responseText == nil)
        #expect(try await db.store.read { try $0.cachedRequestCount() } == 0)
        // `complete` on the same cut stream is an error too (nothing was handed on, so it retries).
        let completeError = await llmError { _ = try await model.complete(ask("q2")) }
        #expect(completeError?.isRetryable == true)
    }

    @Test func aStreamedReplyIsCachedAndReplayedInOnePiece() async throws {
        let server = try LoopbackHTTPServer { _ in .completionStream(["cached", " reply"], promptTokens: 3, completionTokens: 2) }
        defer { server.stop() }
        let db = try TempWorkspaceStore()
        let model = CachingChatModel(base: try client(roleConfig(server)), store: db.store)
        let fresh = await Self.collect(model.stream(ask("q")))
        #expect(fresh.pieces.map(\.text) == ["cached", " reply"])
        let again = await Self.collect(model.stream(ask("q")))
        #expect(again.pieces.map(\.text) == ["cached reply"])
        #expect(again.final?.cached == true && again.final?.usage == TokenUsage(promptTokens: 3, completionTokens: 2))
        // `complete` is answered from the same cache entry.
        #expect(try await model.complete(ask("q")).cached)
        #expect(server.requestCount == 1)
        #expect(try db.calls().count == 1)
    }

    @Test func aServerThatIgnoresStreamingStillDeliversTheText() async throws {
        let server = try LoopbackHTTPServer { _ in .completion("all at once") }
        defer { server.stop() }
        let collected = await Self.collect(try client(roleConfig(server)).stream(ask("q")))
        #expect(collected.pieces.map(\.text) == ["all at once"])
        #expect(collected.final?.text == "all at once")
    }

    @Test func anErrorEventMidStreamEndsItWithTheServersMessage() async throws {
        let server = try LoopbackHTTPServer { _ in
            .eventStream(events: [#"{"choices":[{"delta":{"content":"par"}}]}"#,
                                  #"{"error":{"message":"upstream model crashed"}}"#], interval: 0.02)
        }
        defer { server.stop() }
        let db = try TempWorkspaceStore()
        let model = CachingChatModel(base: try client(roleConfig(server, maxAttempts: 3)), store: db.store)
        let collected = await Self.collect(model.stream(ask("q")))
        #expect(collected.text == "par")
        let error = try #require(collected.error as? LLMError)
        guard case .http(_, 200, let message, _) = error else { Issue.record("got \(error)"); return }
        #expect(message == "upstream model crashed")
        #expect(server.requestCount == 1)
        #expect(try db.calls().map(\.status) == [.error])
        #expect(try await db.store.read { try $0.cachedRequestCount() } == 0)
    }

    @Test func eventsWithoutTheirContentTypeAreHandedOnOnce() async throws {
        let events = [#"{"choices":[{"delta":{"content":"no "}}]}"#, #"{"choices":[{"delta":{"content":"header"},"finish_reason":"stop"}]}"#,
                      "[DONE]"]
        let body = events.map { "data: \($0)\n\n" }.joined()
        let server = try LoopbackHTTPServer { _ in .reply(status: 200, headers: [:], body: Data(body.utf8), delay: 0) }
        defer { server.stop() }
        let collected = await Self.collect(try client(roleConfig(server)).stream(ask("q")))
        #expect(collected.text == "no header")
        #expect(collected.final?.text == "no header" && collected.final?.finishReason == .stop)
    }

    @Test func stoppingTheIterationCancelsTheRequest() async throws {
        let server = try LoopbackHTTPServer { _ in .completionStream(["a", "b", "c", "d", "e", "f"], interval: 0.5) }
        defer { server.stop() }
        let model = try client(roleConfig(server))
        let (first, seconds) = try await timed { () -> String? in
            for try await delta in model.stream(ask("q")) {
                if case .text(let piece) = delta { return piece }
            }
            return nil
        }
        #expect(first == "a")
        #expect(seconds < 2.5)
        // The abandoned request is cancelled, which frees its concurrency slot long before
        // the server would have finished (3 s).
        for _ in 0..<100 where await model.flow.active > 0 { try await Task.sleep(for: .milliseconds(10)) }
        #expect(await model.flow.active == 0)
    }
}
