import Foundation
import Testing
import TapirCore
import TapirStore
@testable import TapirEngine

@Suite struct ClassifyStageTests {
    @Test func datasetLabelsWinAndUnknownLabelsBecomeOthers() async throws {
        let fixture = try StageFixture()
        defer { fixture.tearDown() }
        let labelled = try fixture.insert(["Add 2 and 3."], category: "Math")
        let ids = try fixture.insert(["Write code that sorts a list.", "Tell me my horoscope."])
        let context = fixture.context(models: EngineModels(classifier: try fixture.model(.classifier)))

        _ = try await ClassifyStage().run(round: 1, context: context)
        let records = try await fixture.store.read { try $0.instructions(ids: labelled + ids) }
        let byID = Dictionary(uniqueKeysWithValues: records.map { ($0.id!, $0) })
        #expect(byID[labelled[0]]?.category == "Math" && byID[labelled[0]]?.categorySource == .dataset)
        #expect(byID[ids[0]]?.category == "Code Generation" && byID[ids[0]]?.categorySource == .model)
        #expect(byID[ids[1]]?.category == TaskTaxonomy.fallbackCategory && byID[ids[1]]?.categorySource == .model)
        #expect(fixture.server.requestCount == 2)

        _ = try await ClassifyStage().run(round: 1, context: context)
        #expect(fixture.server.requestCount == 2)
    }
}
