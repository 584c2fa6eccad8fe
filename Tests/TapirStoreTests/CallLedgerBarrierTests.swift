import Foundation
import GRDB
import Testing
import TapirCore
@testable import TapirStore

/// Ledger rows handed in without waiting (`enqueueCall`) are committed before every later
/// write of the store, and a row that cannot be stored stops the writes.
@Suite("Call ledger barrier")
struct CallLedgerBarrierTests {
    let temp: TempDirectory
    let store: WorkspaceStore

    init() throws {
        temp = try TempDirectory()
        store = try WorkspaceStore(path: temp.file("tapir.sqlite").path)
    }

    func call(_ hash: String, role: ModelRole = .teacher) -> LLMCallRecord {
        LLMCallRecord(requestHash: hash, role: role, stage: .teach, round: 1, endpoint: "http://x/v1", model: "m",
                      status: .ok, responseText: "reply \(hash)", promptTokens: 3, completionTokens: 4, cost: 0.001)
    }

    func committedCalls() async throws -> Int {
        try await store.read { try Int.fetchOne($0.db, sql: "SELECT COUNT(*) FROM llm_calls") ?? -1 }
    }

    @Test func aWriteIssuedAfterEnqueueingSeesEveryRowCommitted() async throws {
        for index in 0..<300 { store.enqueueCall(call("h\(index)")) }
        // The write's own transaction already sees the rows as committed data, and its
        // event row comes after all of them.
        let seen = try await store.write { writer in
            _ = try writer.log(.info, source: "test", "derived from the replies")
            return try Int.fetchOne(writer.db, sql: "SELECT COUNT(*) FROM llm_calls") ?? -1
        }
        #expect(seen == 300)
        #expect(try await committedCalls() == 300)
        // The synchronous write orders the same way.
        for index in 300..<350 { store.enqueueCall(call("h\(index)")) }
        func countInSyncWrite() throws -> Int {
            try store.write { try Int.fetchOne($0.db, sql: "SELECT COUNT(*) FROM llm_calls") ?? -1 }
        }
        #expect(try countInSyncWrite() == 350)
        #expect(try await store.cachedCallIfStored(requestHash: "h349")?.responseText == "reply h349")
    }

    @Test func whenCommittedIsToldTheStoredRowAndFlushWaitsForIt() async throws {
        let ids = LockedIDs()
        for index in 0..<40 {
            store.enqueueCall(call("c\(index)")) { result in
                if case let .success(row) = result, let id = row.id { ids.append(id) }
            }
        }
        try await store.flushLedger()
        #expect(try await committedCalls() == 40)
        #expect(Set(ids.values).count == 40)
    }

    @Test func aRowThatCannotBeStoredStopsLaterWritesWithATypedError() async throws {
        // The writer connection refuses one request hash, as a full disk or a broken file would.
        try await store.pool.writeWithoutTransaction { db in
            try db.execute(sql: """
                CREATE TEMP TRIGGER refuse_poison BEFORE INSERT ON llm_calls WHEN NEW.request_hash = 'poison'
                BEGIN SELECT RAISE(ABORT, 'disk I/O error'); END
                """)
        }
        #expect(throws: Never.self) { try store.checkLedger() }
        store.enqueueCall(call("good-1"))
        store.enqueueCall(call("poison", role: .judge))
        store.enqueueCall(call("good-2"))
        await #expect(throws: StoreError.self) {
            try await store.write { try $0.setControl(.stopAfterStage, "derived") }
        }
        // The other rows are stored; the write that came after the failure is not.
        #expect(try await committedCalls() == 2)
        #expect(try store.control(.stopAfterStage) == nil)
        do {
            try store.checkLedger()
            Issue.record("the failed ledger row was not reported")
        } catch let error as StoreError {
            guard case let .ledgerWriteFailed(role, hash, reason) = error else {
                Issue.record("unexpected error \(error)")
                return
            }
            #expect(role == "judge" && hash == "poison" && reason.contains("disk I/O error"))
        }
        // It stays failed: later writes and flushes throw too.
        await #expect(throws: StoreError.self) { try await store.flushLedger() }
        #expect(throws: StoreError.self) { try store.write { try $0.setControl(.stopAfterStage, "again") } }
    }
}

/// Ids collected from completion handlers.
final class LockedIDs: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: [Int64] = []
    func append(_ id: Int64) { lock.withLock { stored.append(id) } }
    var values: [Int64] { lock.withLock { stored } }
}
