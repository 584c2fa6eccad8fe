import Foundation
import GRDB

/// Cancels an observation started with `WorkspaceStore.observe(on:pollInterval:_:onError:onChange:)`.
public final class StoreCancellable: @unchecked Sendable {
    private let lock = NSLock()
    private var cancellables: [AnyDatabaseCancellable] = []
    private var timer: DispatchSourceTimer?

    init() {}

    fileprivate func hold(_ cancellable: AnyDatabaseCancellable, timer: DispatchSourceTimer?) {
        lock.lock()
        cancellables.append(cancellable)
        self.timer = timer
        lock.unlock()
    }

    /// Stops deliveries.
    public func cancel() {
        lock.lock()
        let held = cancellables
        let timer = timer
        cancellables = []
        self.timer = nil
        lock.unlock()
        held.forEach { $0.cancel() }
        timer?.cancel()
    }

    deinit {
        timer?.cancel()
    }
}

/// Remembers the last delivered value so each distinct value is delivered once.
private final class LastValue<Value: Equatable>: @unchecked Sendable {
    private let lock = NSLock()
    private var last: Value?

    func isNew(_ value: Value) -> Bool {
        lock.lock()
        defer { lock.unlock() }
        if last == value { return false }
        last = value
        return true
    }
}

extension WorkspaceStore {
    /// Calls `onChange` on `queue` with the value of `query` now and whenever it changes.
    ///
    /// Writes through this process's store are noticed at once (GRDB `ValueObservation`);
    /// writes by other processes (a headless engine, another dashboard) are noticed by
    /// re-running `query` every `pollInterval` seconds (`nil`: no polling). Equal
    /// consecutive values are delivered once. Keep the returned value to keep observing.
    public func observe<Value: Sendable & Equatable>(
        on queue: DispatchQueue = .main,
        pollInterval: TimeInterval? = 0.5,
        _ query: @escaping @Sendable (StoreReader) throws -> Value,
        onError: @escaping @Sendable (Error) -> Void,
        onChange: @escaping @Sendable (Value) -> Void
    ) -> StoreCancellable {
        let last = LastValue<Value>()
        let deliver: @Sendable (Value) -> Void = { value in
            if last.isNew(value) { onChange(value) }
        }
        let observation = ValueObservation.tracking { db in try query(StoreReader(db: db)) }
        let cancellable = observation.start(in: pool, scheduling: .async(onQueue: queue), onError: onError, onChange: deliver)
        var timer: DispatchSourceTimer?
        if let pollInterval, pollInterval > 0 {
            let source = DispatchSource.makeTimerSource(queue: DispatchQueue(label: "tapir.store.poll"))
            source.schedule(deadline: .now() + pollInterval, repeating: pollInterval)
            let pool = self.pool
            source.setEventHandler {
                do {
                    let value = try pool.read { try query(StoreReader(db: $0)) }
                    queue.async { deliver(value) }
                } catch {
                    queue.async { onError(error) }
                }
            }
            source.resume()
            timer = source
        }
        let result = StoreCancellable()
        result.hold(AnyDatabaseCancellable(cancellable), timer: timer)
        return result
    }

    /// The distinct values of `query`, now and after every change (including other
    /// processes' writes, polled every `pollInterval` seconds), as an async sequence.
    public func values<Value: Sendable & Equatable>(
        pollInterval: TimeInterval? = 0.5,
        _ query: @escaping @Sendable (StoreReader) throws -> Value
    ) -> AsyncThrowingStream<Value, Error> {
        AsyncThrowingStream { continuation in
            let cancellable = observe(
                on: DispatchQueue(label: "tapir.store.values"), pollInterval: pollInterval, query,
                onError: { continuation.finish(throwing: $0) },
                onChange: { continuation.yield($0) })
            continuation.onTermination = { _ in cancellable.cancel() }
        }
    }
}
