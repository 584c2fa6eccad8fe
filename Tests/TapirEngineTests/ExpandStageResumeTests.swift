import Foundation
import Testing
import TapirCore
import TapirLLM
import TapirStore
import TapirTestSupport
@testable import TapirEngine

/// The expand stage plans its requests once and applies the replies in plan order; a request
/// that fails fails alone, and the rerun asks only it again and ends with the expansions of
/// an uninterrupted run.
@Suite struct ExpandStageResumeTests {
    /// A workspace with hard seeds and a `ScriptedRoles` teacher; when `failing` is set, the
    /// second expand request of the first run gets an HTTP 500.
    private func run(failSecondRequestOnce: Bool) async throws -> (expansions: [String], metrics: [String: Double], requests: Int) {
        let roles = ScriptedRoles()
        let counter = Counter()
        let server = try LoopbackHTTPServer { request in
            if counter.next() == 1, failSecondRequestOnce {
                return .json(#"{"error":{"message":"overloaded"}}"#, status: 500)
            }
            return roles.response(to: request)
        }
        defer { server.stop() }
        let fixture = try EngineFixture()
        fixture.config.curriculum.approval = .auto
        fixture.config.curriculum.expansionsPerRound = 4
        let seeds = ["Solve for x: 3x + 7 = 22.", "What is the derivative of x^3 + 2x?", "Write a haiku about rain.",
                     "Write a limerick about a cat.", "Compute 12 squared."]
        var ids: [Int64] = []
        for text in seeds { ids.append(try fixture.instruction(text, category: ScriptedRoles.category(for: text) == "Math" ? "Math" : "Writing")) }
        try fixture.round(1)
        try fixture.write { writer in
            try writer.replaceSelection(round: 1, ids.enumerated().map { k, id in
                SelectionRecord(instructionID: id, round: 1, hard: true, value: Double(3 + k), delta: 1)
            })
        }
        let config = RoleConfig(provider: .openai, baseURL: server.baseURL, model: "teacher", maxAttempts: 1, timeoutSeconds: 10)
        let teacher = CachingChatModel(base: try OpenAIClient(role: .teacher, config: config, environment: [:]), store: fixture.store)
        let context = fixture.context(models: EngineModels(teacher: teacher), concurrency: 1)
        if failSecondRequestOnce {
            // The failed request fails alone: the others are applied, it is listed for the rerun.
            let failure = try await #require(throws: StageItemFailures.self) { try await ExpandStage().run(round: 1, context: context) }
            #expect(failure.failed == 1 && failure.firstInstructionID == 1)
            let metrics = try fixture.read { try $0.round(1)?.metrics } ?? [:]
            #expect(metrics["expansion_requests_done"] == 4 && ExpandStage.failedRequests(metrics) == [1])
        }
        _ = try await ExpandStage().run(round: 1, context: context)
        let texts = try fixture.read { reader in
            try reader.expansions(state: nil, round: 1).map { item in
                let parent = try item.expansion.parentID.flatMap { try reader.instruction(id: $0)?.text } ?? "-"
                let near = try item.expansion.nearestIDs.compactMap { try reader.instruction(id: $0)?.text }.sorted()
                return "\(item.instruction.text)|\(parent)|\(item.expansion.state)|\(item.expansion.similarity ?? -1)|\(near)"
            }.sorted()
        }
        let metrics = try fixture.read { try $0.round(1)?.metrics } ?? [:]
        return (texts, metrics, server.requestCount)
    }

    @Test func aRunThatFailsPartWayAndRunsAgainEndsAsAnUninterruptedOne() async throws {
        let plain = try await run(failSecondRequestOnce: false)
        let resumed = try await run(failSecondRequestOnce: true)
        #expect(!plain.expansions.isEmpty)
        // The same expansions with the same parents, states and similarity; only the
        // nearest-neighbour lists may differ, as the retried request is checked against the
        // ones applied after it in the failed run (and they were checked without it).
        func withoutNeighbours(_ lines: [String]) -> [String] { lines.map { $0.components(separatedBy: "|").prefix(4).joined(separator: "|") } }
        #expect(withoutNeighbours(resumed.expansions) == withoutNeighbours(plain.expansions))
        #expect(resumed.metrics["expansion_requests_done"] == 4 && plain.metrics["expansion_requests_done"] == 4)
        #expect(resumed.metrics["expansion_duplicates"] == plain.metrics["expansion_duplicates"])
        // The first request's reply came from the cache; only the failed one was asked twice.
        #expect(plain.requests == 4 && resumed.requests == 5)
    }
}
