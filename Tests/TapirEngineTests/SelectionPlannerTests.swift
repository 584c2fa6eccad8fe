import Foundation
import Testing
import TapirCore
import TapirStore
@testable import TapirEngine

@Suite struct SelectionPlannerTests {
    @Test func selectionRecordsFollowDelta() throws {
        let difficulties = [
            DifficultyRecord(instructionID: 1, round: 1, kind: .judge, value: 2.5),
            DifficultyRecord(instructionID: 2, round: 1, kind: .judge, value: 1.0),
            DifficultyRecord(instructionID: 3, round: 1, kind: .judge, value: -1),
            DifficultyRecord(instructionID: 4, round: 1, kind: .ifd, value: 9),
            DifficultyRecord(instructionID: 5, round: 2, kind: .judge, value: 9),
        ]
        let planned = SelectionPlanner(kind: .judge, delta: 1.0).selection(round: 1, difficulties: difficulties, categories: [1: "Math"])
        #expect(planned.records.map(\.instructionID) == [1, 2, 3])
        #expect(planned.records.map(\.hard) == [true, false, false])
        #expect(planned.records.allSatisfy { $0.delta == 1.0 && $0.round == 1 })
        #expect(planned.summary.countsByCategory["Math"]! == (1, 1))
        #expect(planned.summary.countsByCategory["Others"]! == (0, 2))
        let lower = SelectionPlanner(kind: .judge, delta: 0.5).selection(round: 1, difficulties: difficulties)
        #expect(lower.records.filter(\.hard).map(\.instructionID) == [1, 2])
    }
}
