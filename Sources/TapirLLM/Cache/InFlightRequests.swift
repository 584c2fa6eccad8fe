import TapirCore

/// Joins concurrent identical requests: the first caller asks the endpoint, the others wait
/// for its answer instead of paying for the same call again. An answer stays here until its
/// ledger row is committed (`settle`): until then the cache cannot answer the request, and
/// identical requests get this answer instead.
actor InFlightRequests {
    private var waiters: [String: [(id: UInt64, continuation: CheckedContinuation<ChatResponse?, Never>)]] = [:]
    /// Answers whose ledger row is not committed yet.
    private var answered: [String: ChatResponse] = [:]
    /// Hashes settled before their answer was handed in.
    private var settledEarly: Set<String> = []
    private var nextID: UInt64 = 0

    /// True when the caller should make the call (and then must call `finish`); false when
    /// another caller is already making it or its answer is waiting for its ledger row.
    func claim(_ hash: String) -> Bool {
        if waiters[hash] != nil || answered[hash] != nil { return false }
        waiters[hash] = []
        return true
    }

    /// The answer of the caller making the call; nil when that call failed or was cancelled,
    /// or when this caller is cancelled.
    func wait(for hash: String) async -> ChatResponse? {
        if let response = answered[hash] { return response }
        guard waiters[hash] != nil else { return nil }
        nextID += 1
        let id = nextID
        return await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<ChatResponse?, Never>) in
                if waiters[hash] == nil || Task.isCancelled {
                    continuation.resume(returning: nil)
                } else {
                    waiters[hash]!.append((id, continuation))
                }
            }
        } onCancel: {
            Task { await self.drop(hash, id: id) }
        }
    }

    /// Hands the owner's outcome to every waiter and ends the claim; a response is kept for
    /// identical requests until `settle(hash)`.
    func finish(_ hash: String, response: ChatResponse?) {
        for waiter in waiters.removeValue(forKey: hash) ?? [] { waiter.continuation.resume(returning: response) }
        if let response, settledEarly.remove(hash) == nil { answered[hash] = response }
    }

    /// Keeps `response` (of a call nobody joined, a streamed one) for identical requests until
    /// `settle(hash)`.
    func hold(_ hash: String, response: ChatResponse) {
        if settledEarly.remove(hash) == nil { answered[hash] = response }
    }

    /// The answer kept for `hash` while its ledger row is being committed.
    func pendingAnswer(_ hash: String) -> ChatResponse? { answered[hash] }

    /// The answer's ledger row is committed (or failed): the cache answers from now on. Every
    /// `settle` follows or precedes exactly one `finish` with a response or `hold`.
    func settle(_ hash: String) {
        if answered.removeValue(forKey: hash) == nil { settledEarly.insert(hash) }
    }

    private func drop(_ hash: String, id: UInt64) {
        guard let index = waiters[hash]?.firstIndex(where: { $0.id == id }) else { return }
        waiters[hash]!.remove(at: index).continuation.resume(returning: nil)
    }
}
