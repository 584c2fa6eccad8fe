import Foundation
import GRDB
import Testing
import TapirCore
@testable import TapirStore

/// The engine's bulk and cached-statement store paths agree with the record-by-record ones.
@Suite("Store fast paths")
struct StoreFastPathTests {
    let temp: TempDirectory
    let store: WorkspaceStore

    init() throws {
        temp = try TempDirectory()
        store = try WorkspaceStore(path: temp.file("tapir.sqlite").path)
    }

    func addInstruction(_ text: String) throws -> Int64 {
        try store.write { try #require(try $0.insertInstruction(InstructionRecord(text: text, source: .dataset))?.id) }
    }

    @Test func bestResponseIDsMatchTheOneByOneQuery() throws {
        let ids = try (0..<6).map { try addInstruction("instruction \($0)") }
        try store.write { w in
            // 0: dataset only; 1: teacher in rounds 0 and 2; 2: refined in round 1 and teacher in 0;
            // 3: refined in rounds 1 and 3; 4: only a student answer; 5: nothing.
            for (index, role, round) in [(0, ResponseRole.teacher, 0), (1, .teacher, 0), (1, .teacher, 2), (2, .teacher, 0),
                                         (2, .refined, 1), (3, .refined, 1), (3, .refined, 3), (3, .teacher, 0),
                                         (4, .student, 1)] {
                try w.saveResponse(ResponseRecord(instructionID: ids[index], role: role, round: round, model: "m",
                                                  text: "\(role.rawValue) \(round)"))
            }
        }
        for round in [0, 1, 2, 3, Int.max] {
            let bulk = try store.read { try $0.bestResponseIDs(upToRound: round) }
            var expected: [Int64: Int64] = [:]
            for id in ids {
                if let best = try store.read({ try $0.bestResponse(instructionID: id, upToRound: round) }) { expected[id] = best.id }
            }
            #expect(bulk == expected, "round \(round)")
        }
        #expect(try store.read { try $0.bestResponseIDs(upToRound: 1) }.count == 4)
    }

    @Test func responsesOfSomeInstructionsMatchTheWholeRoundReads() throws {
        let ids = try (0..<8).map { try addInstruction("instruction \($0)") }
        try store.write { w in
            for (index, id) in ids.enumerated() {
                if index % 3 != 2 { try w.saveResponse(ResponseRecord(instructionID: id, role: .teacher, round: 0, model: "d", text: "t0 \(index)")) }
                if index % 2 == 0 { try w.saveResponse(ResponseRecord(instructionID: id, role: .teacher, round: 2, model: "t", text: "t2 \(index)")) }
                if index != 5 { try w.saveResponse(ResponseRecord(instructionID: id, role: .student, round: 1, model: "s", text: "s1 \(index)")) }
                try w.saveResponse(ResponseRecord(instructionID: id, role: .student, round: 2, model: "s", text: "s2 \(index)"))
            }
        }
        let subset = [ids[7], ids[0], ids[5], ids[2], 999]
        for round in [0, 1, 2, Int.max] {
            let (teachers, whole) = try store.read { (try $0.teacherResponses(instructionIDs: subset, upToRound: round), try $0.teacherResponses(upToRound: round)) }
            #expect(teachers == whole.filter { subset.contains($0.key) }, "round \(round)")
        }
        for round in [1, 2] {
            let (students, whole) = try store.read {
                (try $0.responses(role: .student, round: round, instructionIDs: subset), try $0.responses(role: .student, round: round))
            }
            #expect(students == Dictionary(uniqueKeysWithValues: whole.filter { subset.contains($0.instructionID) }.map { ($0.instructionID, $0) }))
        }
        #expect(try store.read { try $0.responses(role: .student, round: 1, instructionIDs: [ids[5]]) }.isEmpty)
        #expect(try store.read { try $0.teacherResponses(instructionIDs: [], upToRound: 3) }.isEmpty)
    }

    @Test func replacedResponsesAndJudgementsKeepTheirRowAndTakeEveryNewField() throws {
        let id = try addInstruction("Explain tides")
        let created = Date(timeIntervalSince1970: 1_790_000_000)
        let (first, second) = try store.write { w in
            let first = try w.saveResponse(ResponseRecord(instructionID: id, role: .student, round: 1, model: "a", text: "one",
                                                          promptTokens: 1, completionTokens: 2, latency: 0.5, origin: "x"))
            let second = try w.saveResponse(ResponseRecord(instructionID: id, role: .student, round: 1, model: "b", text: "two",
                                                           promptTokens: nil, completionTokens: 7, latency: nil, origin: nil,
                                                           createdAt: created))
            return (first, second)
        }
        #expect(first.id != nil && first.id == second.id)
        let stored = try #require(try store.read { try $0.response(instructionID: id, role: .student, round: 1) })
        #expect(stored == second)

        let judged = try store.write { w in
            let failed = try w.saveJudgement(JudgementRecord(instructionID: id, round: 1, judgeModel: "j", status: .failed, error: "garbage"))
            let ok = try w.saveJudgement(JudgementRecord(
                instructionID: id, round: 1, teacherScoreAB: 9, studentScoreAB: 4, teacherScoreBA: 8, studentScoreBA: 5, mfd: 4,
                rationale: "because", judgeModel: "j2", createdAt: created))
            #expect(failed.id == ok.id)
            return ok
        }
        #expect(try store.read { try $0.judgement(instructionID: id, round: 1) } == judged)

        try store.write { w in
            try w.saveDifficulties([DifficultyRecord(instructionID: id, round: 1, kind: .judge, value: 1),
                                    DifficultyRecord(instructionID: id, round: 1, kind: .judge, value: 2.5)])
        }
        #expect(try store.read { try $0.difficulties(round: 1, kind: .judge) }.map(\.value) == [2.5])
    }

    @Test func theCallCacheFilterAnswersOwnWritesAtOnceAndOtherConnectionsAfterARefresh() async throws {
        let call = { (hash: String, status: LLMCallStatus) in
            LLMCallRecord(requestHash: hash, role: .teacher, endpoint: "http://x/v1", model: "m", status: status,
                          responseText: status == .ok ? "reply \(hash)" : nil, error: status == .ok ? nil : "HTTP 500")
        }
        try store.recordCall(call("before", .ok))
        #expect(try await store.cachedCallIfStored(requestHash: "before")?.responseText == "reply before")
        #expect(try await store.cachedCallIfStored(requestHash: "missing") == nil)

        // Written through this store (the batched ledger and a plain write): answered at once.
        _ = try await store.recordCallBatched(call("batched", .ok))
        let written = call("written", .ok)
        _ = try await store.write { try $0.recordCall(written) }
        #expect(try await store.cachedCallIfStored(requestHash: "batched")?.responseText == "reply batched")
        #expect(try await store.cachedCallIfStored(requestHash: "written")?.responseText == "reply written")
        // A failed call is never a cache entry.
        try store.recordCall(call("failed", .error))
        #expect(try await store.cachedCallIfStored(requestHash: "failed") == nil)

        // Written by another connection: seen once the filter refreshes.
        let other = try WorkspaceStore(path: store.path)
        try other.recordCall(call("elsewhere", .ok))
        try await Task.sleep(for: .milliseconds(300))
        #expect(try await store.cachedCallIfStored(requestHash: "elsewhere")?.responseText == "reply elsewhere")
        // And the other store, opened after the first writes, sees them from the start.
        #expect(try await other.cachedCallIfStored(requestHash: "written")?.responseText == "reply written")
    }

    @Test func aRolledBackCallIsNotAnswered() async throws {
        struct Abort: Error {}
        #expect(throws: Abort.self) {
            try store.write { (w: StoreWriter) throws -> Void in
                _ = try w.recordCall(LLMCallRecord(requestHash: "gone", role: .judge, endpoint: "http://x/v1", model: "m",
                                                   status: .ok, responseText: "never committed"))
                throw Abort()
            }
        }
        #expect(try await store.cachedCallIfStored(requestHash: "gone") == nil)
    }
}
