import TapirCore

/// Joins concurrent identical requests: the first caller asks the endpoint, the others wait
/// for its answer instead of paying for the same call again. Once answered, the store's
/// cache lookup finds the reply (`WorkspaceStore.cachedCallIfStored`, which sees it even
/// before its ledger row commits), so nothing is kept here after `finish`.
actor InFlightRequests {
    private var waiters: [String: [(id: UInt64, continuation: CheckedContinuation<ChatResponse?, Never>)]] = [:]
    private var nextID: UInt64 = 0

    /// True when the caller should make the call (and then must call `finish`); false when
    /// another caller is already making it.
    func claim(_ hash: String) -> Bool {
        if waiters[hash] != nil { return false }
        waiters[hash] = []
        return true
    }

    /// The answer of the caller making the call; nil when that call failed or was cancelled,
    /// or when this caller is cancelled.
    func wait(for hash: String) async -> ChatResponse? {
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

    /// Hands the owner's outcome to every waiter and ends the claim.
    func finish(_ hash: String, response: ChatResponse?) {
        for waiter in waiters.removeValue(forKey: hash) ?? [] { waiter.continuation.resume(returning: response) }
    }

    private func drop(_ hash: String, id: UInt64) {
        guard let index = waiters[hash]?.firstIndex(where: { $0.id == id }) else { return }
        waiters[hash]!.remove(at: index).continuation.resume(returning: nil)
    }
}
