import Foundation
import TapirCore
import TapirLLM
import TapirStore

/// The per-instruction loop the answer, teach, judge and classify stages share: at most
/// `limit` items in flight in a task group, results persisted in batches as they complete
/// (and at least every `flushInterval`, so slow models still show progress live), progress
/// recorded with every batch.
///
/// An item whose model call fails (timeout, transport or HTTP error after the client's
/// retries, an unusable reply) is recorded as an `.error` event naming the instruction and
/// the error, and the other items go on; once all are through, the loop throws
/// `StageItemFailures`, so the stage ends failed with every finished result stored and a
/// rerun asks again for exactly the failed items. Cancellation, a budget cap and a paused
/// role hold for every item alike: no new item starts, the items in flight are drained (not
/// cancelled: their calls may already be paid for), everything finished is persisted, and
/// the first such error is rethrown.
struct InstructionWorkLoop: Sendable {
    var store: WorkspaceStore
    var stage: Stage
    var round: Int
    var limit: Int
    /// Results persisted per write transaction. Paid calls are already in the ledger (the
    /// call cache) when their result waits here, so a crash loses no money, only a re-read.
    var batchSize: Int = 64
    var flushInterval: Duration = .milliseconds(500)

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
        var failures: [(id: Int64, message: String)] = []

        // Batches are written by a chain of tasks, one after the other, while the loop goes on
        // collecting results and starting items: the store write overlaps model calls.
        // A failed batch does not stop the later ones; `settle` reports the first failure.
        var writes: [Task<Void, any Error>] = []

        func enqueueWrite(_ body: @escaping @Sendable (StoreWriter) throws -> Void) {
            // A task of its own (not a child): the store refuses writes from a cancelled
            // task, and finished (possibly paid-for) work must not be lost.
            let previous = writes.last
            writes.append(Task {
                _ = await previous?.result
                try await store.write(body)
            })
        }

        func flush() {
            guard finishedInBuffer > 0 else { return }
            let batch = buffer
            done += finishedInBuffer
            let current = done
            buffer.removeAll()
            finishedInBuffer = 0
            enqueueWrite { writer in
                if !batch.isEmpty { try persist(writer, batch) }
                try writer.updateProgress(round: round, stage: stage, done: current, total: total)
            }
        }

        /// Waits for every batch handed to the store so far.
        func settle() async throws {
            var failure: (any Error)?
            for write in writes {
                if case let .failure(error) = await write.result, failure == nil { failure = error }
            }
            if let failure { throw failure }
        }

        @Sendable func attempt(_ id: Int64) async -> ItemResult<Result> {
            do {
                return .finished(try await work(id))
            } catch where Self.isPerItem(error) {
                return .failed(id: id, message: String(describing: error))
            } catch {
                return .stopped(error)
            }
        }

        var stopError: (any Error)?
        let interval = flushInterval
        await withTaskGroup(of: ItemResult<Result>.self) { group in
            var next = ids.makeIterator()
            var inFlight = 0
            func startNext() {
                guard stopError == nil, let id = next.next() else { return }
                group.addTask { await attempt(id) }
                inFlight += 1
            }
            for _ in 0..<max(1, limit) { startNext() }
            // A timer child: finished results wait at most `interval` for a slow neighbour.
            let tick: @Sendable () async -> ItemResult<Result> = {
                try? await Task.sleep(for: interval)
                return .tick
            }
            if inFlight > 0 { group.addTask(operation: tick) }
            while let outcome = await group.next() {
                switch outcome {
                case .tick:
                    if inFlight > 0 {
                        flush()
                        group.addTask(operation: tick)
                    }
                    continue
                case let .finished(result):
                    if let result { buffer.append(result) }
                    finishedInBuffer += 1
                case let .failed(id, message):
                    failures.append((id, message))
                    enqueueWrite { writer in
                        _ = try writer.log(.error, source: stage.rawValue,
                                           "instruction \(id): \(message); it stays pending, the next run asks again",
                                           round: round, stage: stage)
                    }
                case let .stopped(error):
                    if stopError == nil || stopError is CancellationError { stopError = error }
                }
                inFlight -= 1
                if stopError == nil, Task.isCancelled { stopError = CancellationError() }
                // The next item starts before the batch is written, so the store write overlaps model calls.
                startNext()
                if finishedInBuffer >= batchSize { flush() }
                if inFlight == 0 { group.cancelAll() }  // wakes the timer child at once
            }
        }
        flush()
        try await settle()
        if let stopError { throw stopError }
        if let first = failures.first {
            throw StageItemFailures(stage: stage, round: round, failed: failures.count, finished: done - alreadyDone,
                                    firstInstructionID: first.id, firstError: first.message)
        }
        return done - alreadyDone
    }

    /// Whether `error` concerns one item only (the others can go on): not cancellation, a
    /// budget cap or a paused role, which hold for every item alike.
    static func isPerItem(_ error: any Error) -> Bool {
        if error is CancellationError { return false }
        if let error = error as? LLMError {
            switch error {
            case .budgetExceeded, .rolePaused, .missingAPIKey, .missingSetting: return false
            default: return true
            }
        }
        return true
    }
}

/// One item's end in `InstructionWorkLoop`.
enum ItemResult<Result: Sendable>: Sendable {
    case finished(Result?)
    /// A model call failed for this item only.
    case failed(id: Int64, message: String)
    /// An error that holds for every item (cancellation, budget cap, paused role).
    case stopped(any Error)
    /// The flush timer fired.
    case tick
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
