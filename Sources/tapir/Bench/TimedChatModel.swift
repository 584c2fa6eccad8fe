import TapirCore
import TapirLLM

/// Records on a `CallTimeline` when each call to the endpoint client is in flight. It sits
/// under the call cache and ledger (`CachingChatModel`), so their store work counts as the
/// engine's, not as model time.
struct TimedChatModel<Base: CacheableChatModel>: CacheableChatModel {
    let base: Base
    let timeline: CallTimeline

    var name: String { base.name }
    var role: ModelRole { base.role }
    var endpoint: String { base.endpoint }
    var model: String { base.model }
    func requestHash(for request: ChatRequest) -> String { base.requestHash(for: request) }
    func cost(of usage: TokenUsage) -> Double { base.cost(of: usage) }

    func prepare(_ request: ChatRequest) -> PreparedChatRequest { base.prepare(request) }

    func complete(_ request: ChatRequest) async throws -> ChatResponse {
        let start = timeline.now()
        defer { timeline.record(start: start, end: timeline.now()) }
        return try await base.complete(request)
    }

    func complete(_ prepared: PreparedChatRequest) async throws -> ChatResponse {
        let start = timeline.now()
        defer { timeline.record(start: start, end: timeline.now()) }
        return try await base.complete(prepared)
    }

    /// The stream counts as in flight from the request until its last piece.
    func stream(_ request: ChatRequest) -> AsyncThrowingStream<ChatDelta, Error> {
        let start = timeline.now()
        let inner = base.stream(request)
        let timeline = timeline
        return AsyncThrowingStream { continuation in
            let task = Task {
                defer { timeline.record(start: start, end: timeline.now()) }
                do {
                    for try await delta in inner { continuation.yield(delta) }
                    continuation.finish()
                } catch {
                    continuation.finish(throwing: error)
                }
            }
            continuation.onTermination = { _ in task.cancel() }
        }
    }
}
