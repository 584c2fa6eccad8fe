import TapirStore

/// What a stage's pending items need from the store, read in chunks in work order: the first
/// (small) chunk is read by the time the first item asks, the rest by a chain of background
/// reads while the first model calls are in flight, so a stage over 10,000 instructions does
/// not wait for all of them to be read before its first call.
final class StageInputs<Input: Sendable>: Sendable {
    private let chunkOf: [Int64: Int]
    private let chunks: [Task<[Int64: Input], any Error>]

    /// `load` reads the inputs of one chunk of ids (missing ids: no input, the item is skipped).
    /// `first`: size of the first chunk (about two rounds of calls); `chunk`: the later ones.
    init(ids: [Int64], store: WorkspaceStore, first: Int, chunk: Int = 1024,
         load: @escaping @Sendable (StoreReader, [Int64]) throws -> [Int64: Input]) {
        var bounds: [Range<Int>] = []
        var start = 0
        while start < ids.count {
            let end = min(ids.count, start + (bounds.isEmpty ? max(1, first) : max(1, chunk)))
            bounds.append(start..<end)
            start = end
        }
        var chunkOf: [Int64: Int] = [:]
        chunkOf.reserveCapacity(ids.count)
        var chunks: [Task<[Int64: Input], any Error>] = []
        for (index, range) in bounds.enumerated() {
            for id in ids[range] { chunkOf[id] = index }
            let slice = Array(ids[range])
            let previous = chunks.last
            chunks.append(Task {
                // One read after the other, in work order.
                _ = try await previous?.value
                return try await store.read { try load($0, slice) }
            })
        }
        self.chunkOf = chunkOf
        self.chunks = chunks
    }

    /// The input of `id`, once its chunk is read; nil when it has none.
    func input(for id: Int64) async throws -> Input? {
        guard let index = chunkOf[id] else { return nil }
        return try await chunks[index].value[id]
    }

    /// Stops the reads not yet done (the stage is over).
    func cancel() {
        for chunk in chunks { chunk.cancel() }
    }
}
