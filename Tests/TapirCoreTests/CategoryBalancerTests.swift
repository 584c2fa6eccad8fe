import Testing
@testable import TapirCore

@Suite struct CategoryBalancerTests {
    private let taxonomy = TaskTaxonomy(categories: [
        TaskCategory(name: "Math", targetShare: 0.5),
        TaskCategory(name: "Code Debug", targetShare: 0.3),
        TaskCategory(name: "Writing", targetShare: 0.2),
    ])

    @Test func weightsTowardCategoriesBelowTarget() {
        let balancer = CategoryBalancer(taxonomy: taxonomy, seed: 1)
        // After 100 more: targets 100 / 60 / 40 of 200; deficits 90 / 0 / 10.
        let counts = balancer.allocation(
            budget: 100, seedCounts: ["Math": 5, "Code Debug": 5, "Writing": 5],
            currentCounts: ["Math": 10, "Code Debug": 60, "Writing": 30])
        #expect(counts == ["Math": 90, "Writing": 10])
        // No seeds, no requests; nobody short → by target share.
        #expect(balancer.allocation(budget: 10, seedCounts: ["Writing": 3], currentCounts: ["Writing": 100]) == ["Writing": 10])
        #expect(balancer.allocation(budget: 10, seedCounts: [:], currentCounts: [:]).isEmpty)
        #expect(balancer.allocation(
            budget: 10, seedCounts: ["Math": 1, "Code Debug": 1], currentCounts: ["Math": 500, "Code Debug": 300]) == ["Math": 6, "Code Debug": 4])
    }

    @Test func groupsHoldTwoOrThreeSeedsOfOneCategory() {
        let seeds = (0..<7).map { CurriculumItem(id: $0, category: "Math") }
            + [CurriculumItem(id: 100, category: "Writing")] + (200..<202).map { CurriculumItem(id: $0, category: "Code Debug") }
        let requests = CategoryBalancer(taxonomy: taxonomy, seed: 5).plan(budget: 30, hardSeeds: seeds, currentCounts: [:])
        #expect(requests.count == 30)
        for request in requests {
            #expect(Set(request.seedIDs).count == request.seedIDs.count)
            let categoryOf = Dictionary(uniqueKeysWithValues: seeds.map { ($0.id, $0.category) })
            #expect(request.seedIDs.allSatisfy { categoryOf[$0] == request.category })
            switch request.category {
            case "Math": #expect((2...3).contains(request.seedIDs.count))
            case "Writing": #expect(request.seedIDs == [100])
            default: #expect(request.seedIDs.count == 2)
            }
        }
        // Every Math seed gets used before any is reused much: spread within one use.
        var uses: [Int: Int] = [:]
        for request in requests where request.category == "Math" { for id in request.seedIDs { uses[id, default: 0] += 1 } }
        #expect(uses.count == 7)
        #expect(uses.values.max()! - uses.values.min()! <= 2)
        let again = CategoryBalancer(taxonomy: taxonomy, seed: 5).plan(budget: 30, hardSeeds: seeds, currentCounts: [:])
        #expect(again == requests)
    }
}
