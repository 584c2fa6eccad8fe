import Foundation
import Synchronization
import Testing
@testable import TapirInference

/// The worker pool's chunked hand-off: every chunk runs exactly once per job, across many
/// back-to-back jobs, whatever the thread count, chunk count and grain.
@Suite struct WorkerPoolTests {
    @Test(arguments: [1, 2, 3, 4])
    func everyChunkRunsOnceAcrossManyJobs(threads: Int) {
        let pool = WorkerPool(threads: threads)
        let counts = [0, 1, 2, 3, 7, 8, 9, 64, 1000]
        let hits = UnsafeMutablePointer<Int>.allocate(capacity: 1000)
        defer { hits.deallocate() }
        for job in 0..<2000 {
            let n = counts[job % counts.count]
            hits.initialize(repeating: 0, count: 1000)
            pool.run(chunks: n) { c in hits[c] += 1 }
            #expect((0..<1000).allSatisfy { hits[$0] == ($0 < n ? 1 : 0) }, "job \(job), \(n) chunks")
        }
    }

    @Test(arguments: [1, 2, 5, 100])
    func parallelForCoversTheRangeInDisjointChunks(grain: Int) {
        let pool = WorkerPool(threads: 3)
        let ranges = Mutex<[Range<Int>]>([])
        for count in [1, 2, 5, 17, 96, 1001] {
            ranges.withLock { $0 = [] }
            pool.parallelFor(count, grain: grain) { r in ranges.withLock { $0.append(r) } }
            let sorted = ranges.withLock { $0 }.sorted { $0.lowerBound < $1.lowerBound }
            #expect(sorted.first?.lowerBound == 0)
            #expect(sorted.last?.upperBound == count)
            #expect(zip(sorted, sorted.dropFirst()).allSatisfy { $0.upperBound == $1.lowerBound })
            #expect(sorted.allSatisfy { !$0.isEmpty })
            // Every chunk but the last holds at least `grain` items.
            #expect(sorted.dropLast().allSatisfy { $0.count >= grain })
        }
    }

    @Test func chunkSizeGivesEveryThreadSeveralChunks() {
        #expect(WorkerPool.chunkSize(count: 120, threads: 2, grain: 1) == 15)
        #expect(WorkerPool.chunkSize(count: 9, threads: 2, grain: 1) == 2)
        #expect(WorkerPool.chunkSize(count: 3, threads: 2, grain: 1) == 1)
        #expect(WorkerPool.chunkSize(count: 120, threads: 2, grain: 64) == 64)
    }

    /// A chunk that takes long (as when its thread is descheduled) does not lose or repeat
    /// the others, and the job still ends only after it.
    @Test func aSlowChunkIsWaitedFor() {
        let pool = WorkerPool(threads: 2)
        let done = Atomic<Int>(0)
        for _ in 0..<20 {
            done.store(0, ordering: .relaxed)
            pool.run(chunks: 16) { c in
                if c == 0 { usleep(2000) }
                done.wrappingAdd(1, ordering: .relaxed)
            }
            #expect(done.load(ordering: .relaxed) == 16)
        }
    }
}
