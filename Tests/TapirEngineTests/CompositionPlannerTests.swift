import Foundation
import Testing
import TapirCore
import TapirStore
@testable import TapirEngine

@Suite struct CompositionPlannerTests {
    @Test func composesFromSelectionWithRepeatIndexes() throws {
        let taxonomy = TaskTaxonomy(categories: [TaskCategory(name: "Math", targetShare: 0.5), TaskCategory(name: "Law", targetShare: 0.5)])
        var instructions: [Int64: InstructionRecord] = [:]
        var selection: [SelectionRecord] = []
        var responses: [Int64: Int64] = [:]
        for id in Int64(1)...40 {
            instructions[id] = InstructionRecord(
                id: id, text: "t\(id)", source: id % 5 == 0 ? .expansion : .dataset, category: id % 2 == 0 ? "Math" : "Law")
            selection.append(SelectionRecord(instructionID: id, round: 2, hard: id <= 4, value: id <= 4 ? 3 : 0, delta: 1))
            if id != 40 { responses[id] = 1000 + id }  // 40 has no response: skipped
        }
        selection.append(SelectionRecord(instructionID: 1, round: 1, hard: true, value: 3, delta: 1))  // other round: ignored
        let planner = CompositionPlanner(taxonomy: taxonomy, alphaSchedule: AlphaSchedule([0.3, 0.5]), size: 20)
        let (records, mix) = planner.compose(round: 2, selection: selection, instructions: instructions, responseIDs: responses)
        #expect(records.count == 20)
        #expect(records.map(\.position) == Array(0..<20))
        // α = 0.5 of 20 = 10 hard, but only 4 hard instructions: 6 hard repeats.
        #expect(records.filter(\.hard).count == 10)
        #expect(mix.repeatCount == 6)
        #expect(Set(records.filter(\.hard).map(\.instructionID)) == [1, 2, 3, 4])
        #expect(records.allSatisfy { $0.responseID == 1000 + $0.instructionID && $0.round == 2 })
        #expect(!records.contains { $0.instructionID == 40 })
        // Repeat indexes count copies of each instruction 0, 1, 2 …
        for id in Set(records.map(\.instructionID)) {
            #expect(records.filter { $0.instructionID == id }.map(\.repeatIndex) == Array(0..<records.filter { $0.instructionID == id }.count))
        }
        let again = planner.compose(round: 2, selection: selection, instructions: instructions, responseIDs: responses)
        #expect(again.records == records)
    }
}
