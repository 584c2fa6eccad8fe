import Foundation

/// Counts the HTTP requests (attempts, retries included) made for one call, so its ledger
/// row can say how many requests the endpoint saw. `CachingChatModel` binds one around
/// each call; `OpenAIClient` counts into the bound one.
final class AttemptCounter: @unchecked Sendable {
    @TaskLocal static var current: AttemptCounter?

    private let lock = NSLock()
    private var total = 0

    /// Requests counted so far.
    var count: Int { lock.withLock { total } }

    func increment() { lock.withLock { total += 1 } }
}
