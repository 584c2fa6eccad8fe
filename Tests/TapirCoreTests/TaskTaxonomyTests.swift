import Testing
@testable import TapirCore

@Suite struct TaskTaxonomyTests {
    @Test func defaultTaxonomyHas32LabelsSummingToOne() {
        let taxonomy = TaskTaxonomy.tapirDefault
        #expect(taxonomy.categories.count == 32)
        #expect(abs(taxonomy.totalShare - 1) < 1e-3)
        #expect(Set(taxonomy.names).count == 32)
    }

    @Test func matchesLabelsIgnoringCaseAndSpace() {
        #expect(TaskTaxonomy.tapirDefault.category(matching: "  code debug\n")?.name == "Code Debug")
        #expect(TaskTaxonomy.tapirDefault.category(matching: "Astrology") == nil)
    }
}
