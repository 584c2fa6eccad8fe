/// Runs work items with at most `limit` in flight. A thrown error (or cancellation) stops
/// new items from starting; the items in flight are drained rather than cancelled (their
/// model calls may already be paid for, and each persists its own result), then the first
/// error is rethrown.
enum BoundedConcurrency {
    static func forEach<T: Sendable>(
        _ items: [T], limit: Int, _ body: @escaping @Sendable (T) async throws -> Void
    ) async throws {
        var firstError: (any Error)?
        await withTaskGroup(of: (any Error)?.self) { group in
            var iterator = items.makeIterator()
            func start(_ item: T) {
                group.addTask {
                    do { try await body(item) } catch { return error }
                    return nil
                }
            }
            for _ in 0..<max(1, limit) {
                guard let item = iterator.next() else { break }
                start(item)
            }
            while let error = await group.next() {
                if let error, firstError == nil || firstError is CancellationError { firstError = error }
                if firstError == nil, Task.isCancelled { firstError = CancellationError() }
                if firstError == nil, let item = iterator.next() { start(item) }
            }
        }
        if let firstError { throw firstError }
    }
}

/// Counts finished items of a stage for progress records.
actor ProgressCounter {
    private(set) var done: Int

    init(done: Int) { self.done = done }

    func increment() -> Int {
        done += 1
        return done
    }

    /// Takes back an increment whose item turned out not to count.
    func decrement() {
        done -= 1
    }
}
