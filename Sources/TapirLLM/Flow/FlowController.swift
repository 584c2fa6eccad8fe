import Foundation

/// Per-role admission control: at most `maxConcurrency` calls in flight, requests- and
/// tokens-per-minute budgets, and a shared pause after the endpoint answered 429.
public actor FlowController {
    public let maxConcurrency: Int
    private var inFlight = 0
    private var waiters: [(id: UInt64, continuation: CheckedContinuation<Void, Error>)] = []
    private var nextWaiterID: UInt64 = 0
    private var requests: TokenBucket?
    private var tokens: TokenBucket?
    private var pausedUntil: ContinuousClock.Instant?

    public init(maxConcurrency: Int, requestsPerMinute: Int?, tokensPerMinute: Int?) {
        self.maxConcurrency = max(1, maxConcurrency)
        self.requests = requestsPerMinute.map { TokenBucket(perMinute: $0) }
        self.tokens = tokensPerMinute.map { TokenBucket(perMinute: $0) }
    }

    /// Calls currently admitted.
    public var active: Int { inFlight }

    /// Waits for a concurrency slot, then for the pause and both rate budgets; takes one
    /// request and `estimatedTokens` tokens. Pair every successful call with `release`.
    public func acquire(estimatedTokens: Int) async throws {
        try await takeSlot()
        do {
            while true {
                try Task.checkCancellation()
                let now = ContinuousClock.now
                var wait = 0.0
                if let until = pausedUntil, until > now { wait = seconds(now.duration(to: until)) }
                if wait == 0, var bucket = requests {
                    wait = bucket.wait(for: 1, now: now)
                    requests = bucket
                }
                if wait == 0, var bucket = tokens {
                    wait = bucket.wait(for: Double(estimatedTokens), now: now)
                    tokens = bucket
                }
                if wait == 0 {
                    requests?.take(1, now: now)
                    tokens?.take(Double(estimatedTokens), now: now)
                    return
                }
                try await Task.sleep(for: .seconds(min(wait, 5)))
            }
        } catch {
            releaseSlot()
            throw error
        }
    }

    /// Frees the slot and corrects the token budget by what the endpoint reported.
    public func release(estimatedTokens: Int, actualTokens: Int?) {
        if let actualTokens { tokens?.take(Double(actualTokens - estimatedTokens)) }
        releaseSlot()
    }

    /// Holds every new call until `seconds` from now (after a 429 with Retry-After or reset headers).
    public func pause(for seconds: Double) {
        let until = ContinuousClock.now.advanced(by: .milliseconds(Int(seconds * 1000)))
        if let current = pausedUntil, current >= until { return }
        pausedUntil = until
    }

    private func takeSlot() async throws {
        if inFlight < maxConcurrency {
            inFlight += 1
            return
        }
        nextWaiterID += 1
        let id = nextWaiterID
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, Error>) in
                waiters.append((id, continuation))
            }
        } onCancel: {
            Task { await self.cancelWaiter(id) }
        }
    }

    private func cancelWaiter(_ id: UInt64) {
        guard let index = waiters.firstIndex(where: { $0.id == id }) else { return }
        waiters.remove(at: index).continuation.resume(throwing: CancellationError())
    }

    private func releaseSlot() {
        if waiters.isEmpty {
            inFlight -= 1
        } else {
            // The slot passes directly to the oldest waiter.
            waiters.removeFirst().continuation.resume()
        }
    }

    private func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) * 1e-18
    }
}
