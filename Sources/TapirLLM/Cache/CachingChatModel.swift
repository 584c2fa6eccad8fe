import Foundation
import TapirCore

/// Puts the call cache, the cost ledger and the budget caps in front of a model.
///
/// A request whose hash is in the store is answered from it (`cached == true`, no network
/// call); every call that reaches the endpoint is recorded, failures with their (redacted)
/// error. Concurrent identical requests are joined: one reaches the endpoint, the others
/// get its answer marked `cached`. With `useCache == false` the store is still written but
/// never read, and nothing is joined.
public struct CachingChatModel<Base: CacheableChatModel>: ChatModel {
    public let base: Base
    public let store: any CallStore
    public let useCache: Bool
    public let budget: BudgetGuard?
    private let inFlight = InFlightRequests()

    public init(base: Base, store: any CallStore, useCache: Bool = true, budget: BudgetGuard? = nil) {
        self.base = base
        self.store = store
        self.useCache = useCache
        self.budget = budget
    }

    public var name: String { base.name }

    public func complete(_ request: ChatRequest) async throws -> ChatResponse {
        let hash = base.requestHash(for: request)
        guard useCache else { return try await call(request, hash: hash) }
        while true {
            if let hit = try await store.cachedResponse(requestHash: hash) {
                var response = hit
                response.cached = true
                return response
            }
            if await inFlight.claim(hash) { break }
            if var shared = await inFlight.wait(for: hash) {
                shared.cached = true
                return shared
            }
            // The joined call failed or was cancelled: look again, and perhaps make the call.
            try Task.checkCancellation()
        }
        do {
            let response = try await call(request, hash: hash)
            await inFlight.finish(hash, response: response)
            return response
        } catch {
            await inFlight.finish(hash, response: nil)
            throw error
        }
    }

    /// Asks the endpoint (within the budget) and records the outcome.
    private func call(_ request: ChatRequest, hash: String) async throws -> ChatResponse {
        try await budget?.check(round: request.purpose?.round)
        let started = ContinuousClock.now
        let response: ChatResponse
        do {
            response = try await base.complete(request)
        } catch is CancellationError {
            throw CancellationError()
        } catch {
            let elapsed = started.duration(to: .now)
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
            let failure = CallRecord(
                requestHash: hash, role: request.purpose?.role ?? base.role, stage: request.purpose?.stage,
                round: request.purpose?.round, endpoint: base.endpoint, model: base.model, status: .error,
                responseText: nil, finishReason: nil, promptTokens: 0, completionTokens: 0, cost: 0,
                latency: seconds, errorMessage: String(describing: error))
            try await store.record(failure)
            throw error
        }
        await budget?.add(costUSD: response.cost, round: request.purpose?.round)
        // A store failure here propagates: the engine must stop rather than pay again unrecorded.
        try await store.record(record(request, hash: hash, response: response))
        return response
    }

    private func record(_ request: ChatRequest, hash: String, response: ChatResponse) -> CallRecord {
        CallRecord(
            requestHash: hash, role: request.purpose?.role ?? base.role, stage: request.purpose?.stage, round: request.purpose?.round,
            endpoint: base.endpoint, model: base.model, status: .ok, responseText: response.text,
            finishReason: response.finishReason, promptTokens: response.usage.promptTokens,
            completionTokens: response.usage.completionTokens, cost: response.cost, latency: response.latency,
            errorMessage: nil)
    }
}
