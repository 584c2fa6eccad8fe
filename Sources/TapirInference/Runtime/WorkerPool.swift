import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A small pool of dedicated threads (not the Swift cooperative pool) that runs one
/// data-parallel job at a time, shared between the caller and `threadCount - 1` workers.
///
/// A job is a range of work items cut into chunks; every participant takes the next chunk
/// from a shared counter until none is left, so a worker the OS has not scheduled yet does
/// not hold the others up: the caller (and any worker that did wake) takes its share. A
/// worker joins a job only while it is open; the caller closes the job when the chunks run
/// out and then waits only for workers that joined, so a late worker never delays it.
/// Idle workers spin briefly, then back off to short sleeps, so dispatch latency stays in
/// microseconds during inference without burning CPU when idle.
public final class WorkerPool: @unchecked Sendable {
    /// Number of threads that take part in a job (the caller included).
    public let threadCount: Int
    /// Job generation (bits 32…), open flag (bit 31), workers inside the job (bits 0..<31).
    private let state = Atomic<UInt64>(0)
    /// Next chunk index of the current job.
    private let nextChunk = Atomic<Int>(0)
    private let stopping = Atomic<Bool>(false)
    /// Chunk count and body of the current job; written only while no worker is inside one.
    private var chunks = 0
    private var job: ((Int) -> Void)?
    private var threads: [pthread_t] = []
    private let lock = Mutex<Void>(())

    private static let openFlag: UInt64 = 1 << 31
    private static let countMask: UInt64 = (1 << 31) - 1

    /// Creates a pool with `threads` participants (at least 1).
    public init(threads: Int) {
        threadCount = max(1, threads)
        for i in 1..<threadCount {
            let box = Unmanaged.passRetained(WorkerStart(pool: self, index: i))
            var t = pthread_t()
            pthread_create(&t, nil, { arg in
                let start = Unmanaged<WorkerStart>.fromOpaque(arg!).takeRetainedValue()
                start.pool.workerLoop()
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

    /// Runs `body(chunk)` once for every chunk = 0..<chunks, spread over the caller and the
    /// workers, and returns when all have finished. Which thread runs a chunk is not fixed.
    /// Calls from several threads are serialised.
    public func run(chunks count: Int, _ body: (Int) -> Void) {
        if threadCount == 1 || count < 2 {
            for c in 0..<count { body(c) }
            return
        }
        lock.withLock { _ in
            withoutActuallyEscaping(body) { escaping in
                job = escaping
                chunks = count
                nextChunk.store(0, ordering: .relaxed)
                let generation = (state.load(ordering: .relaxed) >> 32) &+ 1
                state.store(generation << 32 | Self.openFlag, ordering: .releasing)
                drain(escaping, count)
                // Close the job: no worker joins from now on; wait for those inside it.
                state.bitwiseAnd(~Self.openFlag, ordering: .acquiringAndReleasing)
                var spins = 0
                while state.load(ordering: .acquiring) & Self.countMask != 0 {
                    spins += 1
                    // On a busy machine the worker may need this core: give it up now and then.
                    if spins & 255 == 0 { sched_yield() } else { spinPause() }
                }
                job = nil
            }
        }
    }

    /// Splits `0..<count` into chunks of about `grain` items (at least one chunk per thread
    /// when `count` allows) and runs `body(chunk range)` on each, in parallel.
    public func parallelFor(_ count: Int, grain: Int = 1, _ body: (Range<Int>) -> Void) {
        guard count > 0 else { return }
        let size = Self.chunkSize(count: count, threads: threadCount, grain: grain)
        let n = (count + size - 1) / size
        if threadCount == 1 || n < 2 {
            body(0..<count)
            return
        }
        run(chunks: n) { c in body(c * size..<min(count, (c + 1) * size)) }
    }

    /// Items per chunk: about four chunks per thread so a late thread's share is picked up by
    /// the others, but never fewer than `grain` items.
    static func chunkSize(count: Int, threads: Int, grain: Int) -> Int {
        let target = (count + 4 * threads - 1) / (4 * threads)
        return max(max(1, grain), target)
    }

    private func drain(_ body: (Int) -> Void, _ count: Int) {
        while true {
            let c = nextChunk.wrappingAdd(1, ordering: .relaxed).oldValue
            if c >= count { return }
            body(c)
        }
    }

    private func workerLoop() {
        var seen: UInt64 = 0  // the initial generation: a job posted before this thread starts is not missed
        while true {
            var spins = 0
            var current = state.load(ordering: .acquiring)
            while current >> 32 == seen || current & Self.openFlag == 0 {
                if stopping.load(ordering: .acquiring) { return }
                // A closed job is finished for this worker too.
                if current & Self.openFlag == 0 { seen = current >> 32 }
                spins += 1
                if spins < 50_000 {
                    if spins & 1023 == 0 { sched_yield() } else { spinPause() }
                } else if spins < 60_000 {
                    sched_yield()
                } else {
                    usleep(200)
                }
                current = state.load(ordering: .acquiring)
            }
            // Join the open job unless the caller closed it (or posted another) meanwhile.
            let joined = state.compareExchange(
                expected: current, desired: current + 1, ordering: .acquiringAndReleasing).exchanged
            guard joined else { continue }
            seen = current >> 32
            if let job { drain(job, chunks) }
            state.subtract(1, ordering: .releasing)
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
