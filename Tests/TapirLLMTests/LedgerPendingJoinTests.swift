import Foundation
import Testing
import TapirCore
import TapirTestSupport
import TapirStore
@testable import TapirLLM

/// A reply is used while its ledger row is still being committed, and an identical request
/// in that window is answered with it instead of being paid again.
@Suite struct LedgerPendingJoinTests {
    /// Another connection holds the database's write lock until `release`, as a long
    /// transaction of another process would.
    final class WriteLockHolder: @unchecked Sendable {
        private let taken = DispatchSemaphore(value: 0)
        private let gate = DispatchSemaphore(value: 0)
        private let ended = DispatchSemaphore(value: 0)

        init(_ store: WorkspaceStore) {
            let taken = taken, gate = gate, ended = ended
            Thread.detachNewThread {
                try? store.write { writer in
                    try writer.setControl(.stopAfterStage, "held")
                    taken.signal()
                    gate.wait()
                    try writer.setControl(.stopAfterStage, nil)
                }
                ended.signal()
            }
        }

        /// Waits (off the cooperative pool) until the lock is held.
        func waitTaken() async {
            await withCheckedContinuation { continuation in
                Thread.detachNewThread { [taken] in
                    taken.wait()
                    continuation.resume()
                }
            }
        }

        func release() async {
            gate.signal()
            await withCheckedContinuation { continuation in
                Thread.detachNewThread { [ended] in
                    ended.wait()
                    continuation.resume()
                }
            }
        }
    }

    @Test func anIdenticalRequestWhileTheRowIsPendingIsNotPaidTwice() async throws {
        let server = try LoopbackHTTPServer { _ in .completion("answer", promptTokens: 5, completionTokens: 2) }
        defer { server.stop() }
        let db = try TempWorkspaceStore()
        let model = CachingChatModel(base: try client(roleConfig(server)), store: db.store)
        let holder = WriteLockHolder(try db.reopen())
        await holder.waitTaken()

        // The ledger cannot commit now; the reply is returned anyway.
        let first = try await model.complete(ask("same question"))
        #expect(!first.cached && first.text == "answer")
        #expect(try await db.store.read { try $0.recentCalls(limit: 10) }.isEmpty)
        // The identical request gets the pending answer: no second payment.
        let second = try await model.complete(ask("same question"))
        #expect(second.cached && second.text == "answer")
        #expect(server.requestCount == 1)

        await holder.release()
        try await db.store.flushLedger()
        #expect(try db.calls().map(\.requestHash).count == 1)
        // Once committed, the cache answers it.
        for _ in 0..<200 where try await db.store.cachedCallIfStored(requestHash: db.calls()[0].requestHash) == nil {
            try await Task.sleep(for: .milliseconds(5))
        }
        let third = try await model.complete(ask("same question"))
        #expect(third.cached && third.text == "answer")
        #expect(server.requestCount == 1)
    }

    @Test func anotherModelOnTheStoreSeesAPaidReplyBeforeItsRowCommits() async throws {
        let replies = ResponseQueue([.completion("reply 1"), .completion("reply 2")])
        let server = try LoopbackHTTPServer { _ in replies.next() ?? .completion("unused") }
        defer { server.stop() }
        let db = try TempWorkspaceStore()
        let base = try client(roleConfig(server))
        let bypass = CachingChatModel(base: base, store: db.store, useCache: false)
        let cached = CachingChatModel(base: base, store: db.store)
        let holder = WriteLockHolder(try db.reopen())
        await holder.waitTaken()

        // Paid through one model while the ledger cannot commit: the other model's cache
        // answers with it instead of paying again.
        #expect(try await bypass.complete(ask("same")).text == "reply 1")
        let hit = try await cached.complete(ask("same"))
        #expect(hit.cached && hit.text == "reply 1")
        #expect(server.requestCount == 1)

        await holder.release()
        try await db.store.flushLedger()
        // A newer paid reply replaces it at once, committed or not.
        #expect(try await bypass.complete(ask("same")).text == "reply 2")
        #expect(try await cached.complete(ask("same")).text == "reply 2")
        #expect(server.requestCount == 2)
    }
}
