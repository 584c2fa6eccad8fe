import Foundation
import Testing
import TapirCore
import TapirStore
import TapirTestSupport
@testable import TapirEngine

@Suite struct ExpandStageTests {
    static let seeds = [
        "Solve for x: 3x + 7 = 22.",
        "What is the derivative of x^3 + 2x?",
        "A train travels 120 km in 1.5 hours. What is its average speed?",
    ]
    static let rejected = "Compute the area of a circle with radius 4 centimetres."
    static let uniques = [
        "How many distinct ways can five books be arranged on a shelf if two must stay together?",
        "Find the sum of all prime numbers below thirty and explain each step.",
        "Estimate the volume of water in a cylindrical tank that is 2 metres tall and 1 metre wide.",
    ]

    /// Seeds, a rejected earlier expansion, and a teacher that answers the n-th expand
    /// request with `replies[n]`.
    private func fixture(replies: [String], approval: CurriculumConfig.ApprovalPolicy, budget: Int)
        throws -> (EngineFixture, [Int64]) {
        let counter = Counter()
        let fixture = try EngineFixture { messages in
            let prompt = userText(messages)
            guard block("EXAMPLE_1", in: prompt) != nil else { return "unexpected prompt" }
            let n = counter.next()
            return n < replies.count ? "Here it is.\n<instruction>\(replies[n])</instruction>" : "no more ideas"
        }
        fixture.config.curriculum.approval = approval
        fixture.config.curriculum.approvalMinScore = 2
        fixture.config.curriculum.expansionsPerRound = budget
        var ids: [Int64] = []
        for text in Self.seeds { ids.append(try fixture.instruction(text, category: "Math")) }
        try fixture.instruction("Write a haiku about autumn rain.", category: "Writing")
        try fixture.round(1)
        try fixture.write { writer in
            // Values 3, 1, 3: with approval_min_score 2, the second seed's children wait for a person.
            try writer.replaceSelection(round: 1, ids.enumerated().map { k, id in
                SelectionRecord(instructionID: id, round: 1, hard: true, value: k == 1 ? 1 : 3, delta: 1)
            })
            let old = try #require(try writer.addExpansion(text: Self.rejected, parentID: ids[0], round: 0, category: "Math"))
            _ = try writer.review(instructionID: try #require(old.instruction.id), decision: .reject, note: "off topic")
        }
        return (fixture, ids)
    }

    @Test func duplicatesOfSeedsAndRejectedTextsAreDroppedUniqueOnesWaitForApproval() async throws {
        let replies = [Self.seeds[1], Self.rejected.uppercased(), Self.uniques[0], Self.uniques[1]]
        let (fixture, _) = try fixture(replies: replies, approval: .manual, budget: 4)
        let context = fixture.context(models: EngineModels(teacher: try fixture.model(.teacher)))

        let outcome = try await ExpandStage().run(round: 1, context: context)
        guard case let .waiting(reason) = outcome else { Issue.record("expected waiting, got \(outcome)"); return }
        #expect(reason.contains("2 expansions"))
        let pending = try fixture.read { try $0.expansions(state: .pending, round: 1) }
        #expect(Set(pending.map(\.instruction.text)) == Set(Self.uniques.prefix(2)))
        #expect(pending.allSatisfy { $0.instruction.state == .pending && $0.instruction.category == "Math" })
        #expect(pending.allSatisfy { $0.expansion.parentID != nil })
        #expect(try fixture.read { try $0.round(1)?.metrics["expansion_duplicates"] } == 2)
        #expect(try fixture.events(containing: "dropped a duplicate").count == 2)
        #expect(fixture.server?.requestCount == 4)
    }

    @Test func autoApprovalActivatesAndBudgetMakesTheStageIdempotent() async throws {
        let (fixture, _) = try fixture(replies: Array(Self.uniques.prefix(2)), approval: .auto, budget: 2)
        let context = fixture.context(models: EngineModels(teacher: try fixture.model(.teacher)))

        let outcome = try await ExpandStage().run(round: 1, context: context)
        guard case .completed = outcome else { Issue.record("expected completed, got \(outcome)"); return }
        let approved = try fixture.read { try $0.expansions(state: .approved, round: 1) }
        #expect(approved.count == 2)
        #expect(approved.allSatisfy { $0.instruction.state == .active })
        // Budget reached: a second run asks nothing.
        let again = try await ExpandStage().run(round: 1, context: context)
        #expect(again == .completed(summary: "budget of 2 reached"))
        #expect(fixture.server?.requestCount == 2)
    }

    /// A reply without tags is read leniently, but what it gives always waits for a reviewer,
    /// even under `approval: auto`.
    @Test func anUntaggedReplyIsNeverApprovedAutomatically() async throws {
        let counter = Counter()
        let fixture = try EngineFixture { messages in
            guard block("EXAMPLE_1", in: userText(messages)) != nil else { return "unexpected prompt" }
            return counter.next() == 0 ? "<instruction>\(Self.uniques[0])</instruction>" : "<<<EXAMPLE\n\(Self.uniques[1])\n>>>"
        }
        fixture.config.curriculum.approval = .auto
        fixture.config.curriculum.expansionsPerRound = 2
        var ids: [Int64] = []
        for text in Self.seeds { ids.append(try fixture.instruction(text, category: "Math")) }
        try fixture.round(1)
        try fixture.write { writer in
            try writer.replaceSelection(round: 1, ids.map { SelectionRecord(instructionID: $0, round: 1, hard: true, value: 3, delta: 1) })
        }
        let context = fixture.context(models: EngineModels(teacher: try fixture.model(.teacher)), concurrency: 1)
        let outcome = try await ExpandStage().run(round: 1, context: context)
        guard case .waiting = outcome else { Issue.record("expected waiting, got \(outcome)"); return }
        let all = try fixture.read { try $0.expansions(state: nil, round: 1) }
        #expect(Dictionary(uniqueKeysWithValues: all.map { ($0.instruction.text, $0.expansion.state) })
            == [Self.uniques[0]: .approved, Self.uniques[1]: .pending])
        #expect(try fixture.events(containing: "waits for review").count == 1)
    }

    @Test func autoAboveScoreApprovesOnlyChildrenOfHardEnoughParents() async throws {
        let (fixture, ids) = try fixture(replies: Self.uniques, approval: .autoAboveScore, budget: 3)
        let context = fixture.context(models: EngineModels(teacher: try fixture.model(.teacher)))
        _ = try await ExpandStage().run(round: 1, context: context)
        let all = try fixture.read { try $0.expansions(state: nil, round: 1) }
        #expect(all.count == 3)
        for item in all {
            let expected: ExpansionState = item.expansion.parentID == ids[1] ? .pending : .approved
            #expect(item.expansion.state == expected)
        }
    }
}
