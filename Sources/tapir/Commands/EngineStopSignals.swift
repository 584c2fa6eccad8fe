import Dispatch
import Foundation

/// SIGINT and SIGTERM while `tapir run` works: the first one cancels the run (the stage in
/// flight stops and keeps what it finished; a running trainer's process group gets SIGTERM,
/// then SIGKILL after its grace period, so no trainer outlives the engine); a second one
/// exits at once (status 130). The trainer runs in a process group of its own, so a
/// terminal's Ctrl-C reaches only the engine, which must pass it on.
final class EngineStopSignals: @unchecked Sendable {
    private let queue = DispatchQueue(label: "tapir.engine-stop-signals")
    private var sources: [DispatchSourceSignal] = []
    private let lock = NSLock()
    private var received = 0

    /// Starts listening; `stop` runs on the first signal.
    init(stop: @escaping @Sendable () -> Void) {
        for number in [SIGINT, SIGTERM] {
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: queue)
            source.setEventHandler { [self] in
                let count = lock.withLock { received += 1; return received }
                if count == 1 {
                    FileHandle.standardError.write(Data("tapir: stopping (finished work is kept; again to quit now)\n".utf8))
                    stop()
                } else {
                    exit(130)
                }
            }
            source.resume()
            sources.append(source)
        }
    }

    /// Stops listening and restores the default actions.
    func cancel() {
        for source in sources { source.cancel() }
        sources.removeAll()
        signal(SIGINT, SIG_DFL)
        signal(SIGTERM, SIG_DFL)
    }
}
