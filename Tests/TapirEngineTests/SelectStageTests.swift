import Foundation
import Testing
import TapirCore
import TapirStore
@testable import TapirEngine

@Suite struct SelectStageTests {
    @Test func selectsByDeltaFromControlAndRecordsIt() async throws {
        let fixture = try StageFixture()
        defer { fixture.tearDown() }
        let ids = try fixture.insert(["a one", "b two", "c three", "d four", "e five"], category: "Math")
        let values = [-1.0, 0.5, 1.5, 3.0, 6.0]
        try await fixture.store.write { w in
            try w.saveDifficulties(zip(ids, values).map { DifficultyRecord(instructionID: $0, round: 1, kind: .judge, value: $1) })
            // Another kind and another round must not count.
            try w.saveDifficulties([DifficultyRecord(instructionID: ids[0], round: 1, kind: .ifd, value: 99),
                                    DifficultyRecord(instructionID: ids[0], round: 2, kind: .judge, value: 99)])
        }
        let context = fixture.context(curriculum: CurriculumConfig(delta: 2.0), models: EngineModels())

        // Configured δ = 2: hard are 3.0 and 6.0 (strictly above δ).
        _ = try await SelectStage().run(round: 1, context: context)
        var selection = try await fixture.store.read { try $0.selection(round: 1) }
        #expect(selection.count == 5)
        #expect(selection.filter(\.hard).map(\.instructionID) == [ids[3], ids[4]])
        #expect(try await fixture.store.read { try $0.round(1) }?.delta == 2.0)

        // The dashboard's δ for the next round applies and replaces the selection.
        try fixture.store.setControl(.deltaNext, "0.5")
        let outcome = try await SelectStage().run(round: 1, context: context)
        selection = try await fixture.store.read { try $0.selection(round: 1) }
        #expect(selection.count == 5)
        #expect(Set(selection.filter(\.hard).map(\.instructionID)) == [ids[2], ids[3], ids[4]])
        #expect(selection.allSatisfy { $0.delta == 0.5 })
        #expect(try await fixture.store.read { try $0.round(1) }?.delta == 0.5)
        #expect(outcome == .completed(summary: "3 of 5 instruction(s) hard by judge with δ=0.5"))
    }
}
