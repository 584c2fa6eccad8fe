import TapirCore
import TapirLLM
import TapirStore

/// The per-instruction loop the answer, teach, judge and classify stages share: at most
/// `limit` items in flight in a task group, results persisted in small batches as they
/// complete (and at least every `flushInterval`, so slow models still show progress live),
/// progress recorded after every batch.
///
/// An item whose model call fails (timeout, transport or HTTP error after the client's
/// retries, an unusable reply) is recorded as an `.error` event naming the instruction and
/// the error, and the other items go on; once all are through, the loop throws
/// `StageItemFailures`, so the stage ends failed with every finished result stored and a
/// rerun asks again for exactly the failed items. Cancellation, a budget cap and a role
/// paused by the flow controller stop the loop at once instead. Either way everything
/// already finished is persisted before the error is rethrown.
struct InstructionWorkLoop: Sendable {
    var store: WorkspaceStore
    var stage: Stage
    var round: Int
    var limit: Int
    var batchSize: Int = 8
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

        func flush() async throws {
            guard finishedInBuffer > 0 else { return }
            let batch = buffer
            done += finishedInBuffer
            let current = done
            buffer.removeAll()
            finishedInBuffer = 0
            // Saved in a task of its own: the store refuses writes from a cancelled task,
            // and finished (possibly paid-for) work must not be lost.
            try await Task {
                try await store.write { writer in
                    if !batch.isEmpty { try persist(writer, batch) }
                    try writer.updateProgress(round: round, stage: stage, done: current, total: total)
                }
            }.value
        }

        @Sendable func attempt(_ id: Int64) async throws -> ItemResult<Result> {
            do {
                return .finished(try await work(id))
            } catch let error where Self.isPerItem(error) {
                return .failed(id: id, message: String(describing: error))
            }
        }

        do {
            let interval = flushInterval
            try await withThrowingTaskGroup(of: ItemResult<Result>.self) { group in
                var next = ids.makeIterator()
                var inFlight = 0
                for _ in 0..<max(1, limit) {
                    guard let id = next.next() else { break }
                    group.addTask { try await attempt(id) }
                    inFlight += 1
                }
                // A timer child: finished results wait at most `interval` for a slow neighbour.
                let tick: @Sendable () async -> ItemResult<Result> = {
                    try? await Task.sleep(for: interval)
                    return .tick
                }
                if inFlight > 0 { group.addTask(operation: tick) }
                while let outcome = try await group.next() {
                    switch outcome {
                    case .tick:
                        if inFlight > 0 {
                            try await flush()
                            group.addTask(operation: tick)
                        }
                        continue
                    case let .finished(result):
                        if let result { buffer.append(result) }
                        finishedInBuffer += 1
                        if finishedInBuffer >= batchSize { try await flush() }
                    case let .failed(id, message):
                        failures.append((id, message))
                        try await Task {
                            try await store.write { writer in
                                _ = try writer.log(.error, source: stage.rawValue,
                                                   "instruction \(id): \(message); it stays pending, the next run asks again",
                                                   round: round, stage: stage)
                            }
                        }.value
                    }
                    inFlight -= 1
                    try Task.checkCancellation()
                    if let id = next.next() {
                        group.addTask { try await attempt(id) }
                        inFlight += 1
                    } else if inFlight == 0 {
                        group.cancelAll()  // wakes the timer child at once
                    }
                }
            }
        } catch {
            try await flush()
            throw error
        }
        try await flush()
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
    case failed(id: Int64, message: String)
    /// The flush timer fired.
    case tick
}

/// Some items of a stage failed (each recorded as an error event); the others are stored.
/// Running the stage again retries exactly the failed ones.
public struct StageItemFailures: Error, Sendable, Hashable, CustomStringConvertible {
    public var stage: Stage
    public var round: Int
    /// Items whose model call failed.
    public var failed: Int
    /// Items finished and stored in this run.
    public var finished: Int
    public var firstInstructionID: Int64
    public var firstError: String

    public var description: String {
        "\(failed) instruction(s) failed in \(stage.rawValue) of round \(round) (\(finished) finished and stored); "
            + "first: instruction \(firstInstructionID): \(firstError). Run again to retry them (see the events log)."
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
