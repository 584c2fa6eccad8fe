/// Runs work items with at most `limit` in flight. A thrown error (or cancellation) stops
/// new items from starting; items already finished have persisted their results.
enum BoundedConcurrency {
    static func forEach<T: Sendable>(
        _ items: [T], limit: Int, _ body: @escaping @Sendable (T) async throws -> Void
    ) async throws {
        try await withThrowingTaskGroup(of: Void.self) { group in
            var iterator = items.makeIterator()
            for _ in 0..<max(1, limit) {
                guard let item = iterator.next() else { break }
                group.addTask { try await body(item) }
            }
            while try await group.next() != nil {
                try Task.checkCancellation()
                if let item = iterator.next() { group.addTask { try await body(item) } }
            }
        }
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
