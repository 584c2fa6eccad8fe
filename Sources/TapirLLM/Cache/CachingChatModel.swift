import Foundation
import TapirCore
import TapirStore

/// Puts the call cache, the cost ledger and the budget caps of the workspace in front of a
/// model.
///
/// - Every call that reaches the endpoint is one row of the ledger (`llm_calls`), failures
///   with their (redacted) error, with the number of HTTP requests it took (`attempts`,
///   retries included); calls refused before reaching it (paused role, budget cap) and
///   cancelled calls are not.
/// - A successful call becomes the cache entry of its request hash (`llm_cache`, the latest
///   wins). A request whose hash is cached is answered from it (`cached == true`, no network
///   call, no ledger row, no cost).
/// - A paid call's ledger row is handed to the store without waiting for its commit
///   (`WorkspaceStore.enqueueCall`): the reply is used at once, and the row is committed
///   before anything the store writes later, so nothing derived from the reply is stored
///   before the call is. A row that cannot be stored stops further calls and writes with
///   `StoreError.ledgerWriteFailed`.
/// - Concurrent identical `complete` requests are joined: one reaches the endpoint, the
///   others get its answer marked `cached`; until its ledger row is committed (and the cache
///   can answer) identical requests, streamed ones included, get that answer too.
/// - With `useCache == false` the cache is written but never read, nothing is joined, and
///   every call is paid and recorded.
public struct CachingChatModel<Base: CacheableChatModel>: ChatModel {
    public let base: Base
    public let store: WorkspaceStore
    public let useCache: Bool
    public let budget: BudgetGuard?
    private let inFlight = InFlightRequests()

    public init(base: Base, store: WorkspaceStore, useCache: Bool = true, budget: BudgetGuard? = nil) {
        self.base = base
        self.store = store
        self.useCache = useCache
        self.budget = budget
    }

    public var name: String { base.name }

    public func complete(_ request: ChatRequest) async throws -> ChatResponse {
        // Hash and encoding once, for the lookup and the call.
        let prepared = base.prepare(request)
        let hash = prepared.hash
        guard useCache else { return try await call(request, hash: hash) { try await base.complete(prepared) } }
        while true {
            if let hit = try await cached(hash) { return hit }
            if await inFlight.claim(hash) { break }
            if var shared = await inFlight.wait(for: hash) {
                shared.cached = true
                return shared
            }
            // The joined call failed or was cancelled: look again, and perhaps make the call.
            try Task.checkCancellation()
        }
        do {
            // Identical requests wait for this one; once it is answered, the store's cache
            // lookup finds the reply even before its ledger row commits.
            let response = try await call(request, hash: hash) { try await base.complete(prepared) }
            await inFlight.finish(hash, response: response)
            return response
        } catch {
            await inFlight.finish(hash, response: nil)
            throw error
        }
    }

    /// The reply streamed (see `OpenAIClient.stream`); a cached reply comes as one piece.
    /// A stream that fails (cut mid-way) is recorded as a failed call and caches nothing.
    public func stream(_ request: ChatRequest) -> AsyncThrowingStream<ChatDelta, Error> {
        AsyncThrowingStream { continuation in
            let task = Task {
                do {
                    let hash = base.requestHash(for: request)
                    if useCache, let hit = try await cached(hash) {
                        if !hit.text.isEmpty { continuation.yield(.text(hit.text)) }
                        continuation.yield(.finished(hit))
                        continuation.finish()
                        return
                    }
                    let response = try await call(request, hash: hash) {
                        var final: ChatResponse?
                        for try await delta in base.stream(request) {
                            if case .finished(let response) = delta { final = response } else { continuation.yield(delta) }
                        }
                        guard let final else { throw CancellationError() }
                        return final
                    }
                    continuation.yield(.finished(response))
                    continuation.finish()
                } catch {
                    continuation.finish(throwing: error)
                }
            }
            continuation.onTermination = { _ in task.cancel() }
        }
    }

    private func cached(_ hash: String) async throws -> ChatResponse? {
        try await store.cachedCallIfStored(requestHash: hash)?.cachedResponse
    }

    /// Asks the endpoint through `perform` (within the budget) and records the outcome
    /// (`record`).
    private func call(
        _ request: ChatRequest, hash: String,
        perform: () async throws -> ChatResponse
    ) async throws -> ChatResponse {
        // A ledger that cannot store rows stops the calls: nothing is paid unrecorded.
        try store.checkLedger()
        try await budget?.check(round: request.purpose?.round)
        let started = ContinuousClock.now
        let attempts = AttemptCounter()
        let response: ChatResponse
        do {
            response = try await AttemptCounter.$current.withValue(attempts) { try await perform() }
        } catch is CancellationError {
            throw CancellationError()
        } catch let error as LLMError where error.isRefusal {
            throw error
        } catch {
            let elapsed = started.duration(to: .now)
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
            Self.record(row(request, hash: hash, status: .error, response: nil, latency: seconds,
                            attempts: attempts.count, error: String(describing: error)), in: store)
            throw error
        }
        await budget?.add(costUSD: response.cost, round: request.purpose?.round)
        Self.record(row(request, hash: hash, status: .ok, response: response, latency: response.latency,
                        attempts: attempts.count, error: nil), in: store)
        return response
    }

    private func row(
        _ request: ChatRequest, hash: String, status: LLMCallStatus, response: ChatResponse?, latency: Double, attempts: Int,
        error: String?
    ) -> LLMCallRecord {
        LLMCallRecord(
            requestHash: hash, role: request.purpose?.role ?? base.role, stage: request.purpose?.stage,
            round: request.purpose?.round, endpoint: base.endpoint, model: base.model, status: status,
            responseText: response?.text, finishReason: response?.finishReason.rawValue,
            promptTokens: response?.usage.promptTokens ?? 0, completionTokens: response?.usage.completionTokens ?? 0,
            cost: response?.cost ?? 0, latency: latency, attempts: max(1, attempts), error: error)
    }

    /// Hands the call to the ledger (`WorkspaceStore.enqueueCall`) and returns at once: the
    /// reply can be used while its row is committed, together with the calls recorded
    /// meanwhile by other tasks. The store commits it before any later write, so nothing
    /// derived from the reply is stored before the paid call is; a row that cannot be stored
    /// makes later writes (and `call`) throw `StoreError.ledgerWriteFailed`. Not
    /// cancellable: a call that was paid for is recorded even when its stage is cancelled.
    static func record(_ row: LLMCallRecord, in store: WorkspaceStore) {
        store.enqueueCall(row)
    }
}
