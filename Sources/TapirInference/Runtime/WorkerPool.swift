import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A small pool of dedicated threads (not the Swift cooperative pool) that runs one
/// data-parallel job at a time, splitting it across `threadCount` workers including the
/// caller. Idle workers spin briefly, then back off to short sleeps, so dispatch latency
/// stays in microseconds during inference without burning CPU when idle.
public final class WorkerPool: @unchecked Sendable {
    /// Number of threads that take part in a job (the caller included).
    public let threadCount: Int
    private let generation = Atomic<Int>(0)
    private let remaining = Atomic<Int>(0)
    private let stopping = Atomic<Bool>(false)
    private var job: ((Int) -> Void)?
    private var threads: [pthread_t] = []
    private let lock = Mutex<Void>(())

    /// Creates a pool with `threads` participants (at least 1).
    public init(threads: Int) {
        threadCount = max(1, threads)
        for i in 1..<threadCount {
            let box = Unmanaged.passRetained(WorkerStart(pool: self, index: i))
            var t = pthread_t()
            pthread_create(&t, nil, { arg in
                let start = Unmanaged<WorkerStart>.fromOpaque(arg!).takeRetainedValue()
                start.pool.workerLoop(index: start.index)
                return nil
            }, box.toOpaque())
            self.threads.append(t)
        }
    }

    deinit {
        stopping.store(true, ordering: .releasing)
        for t in threads { pthread_join(t, nil) }
    }

    /// Stops the worker threads (the pool must not be used afterwards).
    public func shutdown() {
        stopping.store(true, ordering: .releasing)
    }

    /// Runs `body(worker)` for worker = 0..<threadCount concurrently and returns when all finished.
    /// Calls from several threads are serialised.
    public func run(_ body: (Int) -> Void) {
        if threadCount == 1 {
            body(0)
            return
        }
        lock.withLock { _ in
            withoutActuallyEscaping(body) { escaping in
                job = escaping
                remaining.store(threadCount - 1, ordering: .relaxed)
                generation.add(1, ordering: .releasing)
                escaping(0)
                var spins = 0
                while remaining.load(ordering: .acquiring) > 0 {
                    spins += 1
                    // On a busy machine the worker may need this core: give it up now and then.
                    if spins & 1023 == 0 { sched_yield() } else { spinPause() }
                }
                job = nil
            }
        }
    }

    /// Splits `0..<count` into `threadCount` contiguous chunks and runs `body(chunk)` on each.
    public func parallelFor(_ count: Int, _ body: (Range<Int>) -> Void) {
        let n = threadCount
        if n == 1 || count < 2 {
            body(0..<count)
            return
        }
        run { w in
            let lo = count * w / n, hi = count * (w + 1) / n
            if lo < hi { body(lo..<hi) }
        }
    }

    private func workerLoop(index: Int) {
        var seen = 0  // the initial generation: a job posted before this thread starts is not missed
        while true {
            var spins = 0
            var current = generation.load(ordering: .acquiring)
            while current == seen {
                if stopping.load(ordering: .acquiring) { return }
                spins += 1
                if spins < 50_000 {
                    if spins & 1023 == 0 { sched_yield() } else { spinPause() }
                } else if spins < 60_000 {
                    sched_yield()
                } else {
                    usleep(200)
                }
                current = generation.load(ordering: .acquiring)
            }
            seen = current
            job?(index)
            remaining.subtract(1, ordering: .releasing)
        }
    }
}

private final class WorkerStart {
    unowned(unsafe) let pool: WorkerPool
    let index: Int
    init(pool: WorkerPool, index: Int) {
        self.pool = pool
        self.index = index
    }
}

@inline(__always) private func spinPause() {
    #if arch(x86_64) || arch(i386)
    // A few empty iterations; Swift has no portable pause intrinsic.
    for _ in 0..<4 { _ = 0 }
    #endif
}
