import TapirCore
import TapirStore

/// The per-instruction loop the answer, teach, judge and classify stages share: at most
/// `limit` items in flight in a task group, results persisted in small batches as they
/// complete, progress recorded after every batch. When the task is cancelled or an item
/// throws, no new item starts, the items in flight finish, and everything finished is
/// persisted before the (first) error is rethrown.
struct InstructionWorkLoop: Sendable {
    var store: WorkspaceStore
    var stage: Stage
    var round: Int
    var limit: Int
    /// Results persisted per write transaction. Paid calls are already in the ledger (the
    /// call cache) when their result waits here, so a crash loses no money, only a re-read.
    var batchSize: Int = 64

    /// Runs `work` for every id in `ids`; `persist` saves a batch of results (`nil` results
    /// are counted as done but not passed on). `alreadyDone`/`total` feed the progress row.
    func run<Result: Sendable>(
        ids: [Int64], alreadyDone: Int, total: Int,
        work: @escaping @Sendable (Int64) async throws -> Result?,
        persist: @escaping @Sendable (StoreWriter, [Result]) throws -> Void
    ) async throws -> Int {
        let stage = stage, round = round
        var done = alreadyDone
        try await store.write { try $0.updateProgress(round: round, stage: stage, done: alreadyDone, total: total) }
        var buffer: [Result] = []
        var finishedInBuffer = 0

        // Batches are written by a chain of tasks, one after the other, while the loop goes on
        // collecting results and starting items: the store write overlaps model calls.
        // A failed batch does not stop the later ones; `settle` reports the first failure.
        var writes: [Task<Void, any Error>] = []

        func flush() async throws {
            guard finishedInBuffer > 0 else { return }
            let batch = buffer
            done += finishedInBuffer
            let current = done
            buffer.removeAll()
            finishedInBuffer = 0
            // A task of its own (not a child): the store refuses writes from a cancelled
            // task, and finished (possibly paid-for) work must not be lost.
            let previous = writes.last
            writes.append(Task {
                _ = await previous?.result
                try await store.write { writer in
                    if !batch.isEmpty { try persist(writer, batch) }
                    try writer.updateProgress(round: round, stage: stage, done: current, total: total)
                }
            })
        }

        /// Waits for every batch handed to the store so far.
        func settle() async throws {
            var failure: (any Error)?
            for write in writes {
                if case let .failure(error) = await write.result, failure == nil { failure = error }
            }
            if let failure { throw failure }
        }

        // An item that throws stops new items from starting, but the items in flight are
        // drained, not cancelled: their model calls may already be paid for (a budget cap
        // reached mid-stage), so their results are persisted before the error is rethrown.
        var firstError: (any Error)?
        await withTaskGroup(of: ItemResult<Result>.self) { group in
            var next = ids.makeIterator()
            for _ in 0..<max(1, limit) {
                guard let id = next.next() else { break }
                group.addTask { await ItemResult { try await work(id) } }
            }
            while let item = await group.next() {
                switch item {
                case let .finished(result):
                    if let result { buffer.append(result) }
                    finishedInBuffer += 1
                case let .failed(error):
                    if firstError == nil || firstError is CancellationError { firstError = error }
                }
                if firstError == nil, Task.isCancelled { firstError = CancellationError() }
                // The next item starts before the batch is written, so the store write overlaps model calls.
                if firstError == nil, let id = next.next() { group.addTask { await ItemResult { try await work(id) } } }
                if finishedInBuffer >= batchSize {
                    do { try await flush() } catch { if firstError == nil { firstError = error } }
                }
            }
        }
        try await flush()
        do { try await settle() } catch { if firstError == nil { firstError = error } }
        if let firstError { throw firstError }
        return done - alreadyDone
    }
}

/// How one work item ended.
enum ItemResult<Value: Sendable>: Sendable {
    case finished(Value?)
    case failed(any Error)

    init(_ body: () async throws -> Value?) async {
        do { self = .finished(try await body()) } catch { self = .failed(error) }
    }
}

/// A stage that cannot run with the models the configuration provides.
public enum StageSetupError: Error, Sendable, Hashable, CustomStringConvertible {
    /// `stage` needs a model for `role`; `hint` says which configuration key provides it.
    case missingModel(stage: Stage, role: ModelRole, hint: String)

    public var description: String {
        switch self {
        case let .missingModel(stage, role, hint):
            "stage '\(stage.rawValue)' needs a \(role.rawValue) model but none is configured: \(hint)"
        }
    }
}

extension InstructionRecord {
    /// The user turn shown to a model: the instruction, then its input after a blank line.
    var userPrompt: String { input.isEmpty ? text : text + "\n\n" + input }
}

extension RoleConfig {
    /// The role's configured sampling (temperature and token limit).
    var sampling: SamplingParameters { SamplingParameters(temperature: temperature, maxTokens: maxTokens) }
}
