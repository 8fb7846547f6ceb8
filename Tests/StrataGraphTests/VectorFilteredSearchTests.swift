import Foundation
import StrataEngine
@testable import StrataGraph
import StrataRandom
import StrataTestSupport
import Testing

/// Filtered search against the brute-force filtered answer: the exact-scan switch for small
/// candidate sets, the filtered walk (with two hops) for large ones, and the budget.
@Suite struct VectorFilteredSearchTests {
    /// A store of 1500 messages (every 10th from the user) with exact scans up to 100 candidates.
    static func fixture() throws -> VectorFixture {
        var fixture = try VectorFixture(configuration: VectorFixture.configuration(exactScanBound: 100))
        try fixture.insert(0..<1500)
        return fixture
    }

    @Test func filteredWalksMatchTheFilteredExactAnswer() throws {
        var fixture = try Self.fixture()
        let queries = (0..<15).map { _ in fixture.vector() }
        // 10 % pass (150 candidates > the bound: a walk, two-hop at this selectivity).
        let users = VectorFilter(predicate: { $0.message?.role == .user })
        let range = VectorFilter(createdIn: fixture.base..<fixture.base.addingTimeInterval(600))
        for filter in [users, range] {
            #expect(try fixture.recall(queries, ef: 64, filter: filter) >= 0.95)
            for query in queries.prefix(3) {
                let result = try fixture.store.reader().nearest(to: query, k: 10, in: "text", namespace: "ns", filter: filter)
                #expect(result.hits.count == 10)
                #expect(!result.filterExhausted && !result.budgetExhausted)
            }
        }
        // Every hit passes the filter.
        let hits = try fixture.store.reader().nearest(to: queries[0], k: 10, in: "text", namespace: "ns", filter: users).hits
        #expect(try hits.allSatisfy { try fixture.store.node($0.id)?.message?.role == .user })
    }

    /// 1 % selectivity through the walk (bound 5, so 20 candidates are walked, two hops): k
    /// results with recall@10 ≥ 0.95 against the filtered exact answer.
    @Test func onePercentFilteredWalkKeepsItsRecall() throws {
        var fixture = try VectorFixture(configuration: VectorFixture.configuration(exactScanBound: 5))
        try fixture.insert(0..<2000)
        let queries = (0..<12).map { _ in fixture.vector() }
        let onePercent = VectorFilter(predicate: { node in
            guard case .name(let name) = node.id, let row = Int(name.dropFirst()) else { return false }
            return row % 100 == 7
        })
        #expect(try fixture.recall(queries, ef: 64, filter: onePercent) >= 0.95)
        for query in queries.prefix(4) {
            let result = try fixture.store.reader().nearest(to: query, k: 10, in: "text", namespace: "ns", filter: onePercent, ef: 64)
            #expect(result.hits.count == 10)
            #expect(!result.filterExhausted && !result.budgetExhausted)
        }
    }

    @Test func aSmallCandidateSetIsScannedExactly() throws {
        var fixture = try Self.fixture()
        // 60 messages in range: at most the bound, so the answer is exact.
        let filter = VectorFilter(createdIn: fixture.base..<fixture.base.addingTimeInterval(60))
        let query = fixture.vector()
        let reader = try fixture.store.reader()
        let result = try reader.nearest(to: query, k: 10, in: "text", namespace: "ns", filter: filter)
        #expect(result.hits == (try reader.exactNearest(to: query, k: 10, in: "text", namespace: "ns", filter: filter).hits))
        #expect(result.scanned == 60)
        // Fewer than k pass: said so.
        let few = try reader.nearest(to: query, k: 100, in: "text", namespace: "ns", filter: filter)
        #expect(few.hits.count == 60)
        #expect(few.filterExhausted && !few.budgetExhausted)
    }

    @Test func aWalkOutOfBudgetSaysSo() throws {
        var fixture = try VectorFixture(configuration: MemoryStore.Configuration(
            clock: { Date(timeIntervalSince1970: 1_700_100_000) },
            vectorIndex: VectorIndexConfiguration(efConstruction: 40, filterScanBudget: 50, exactScanBound: 10)))
        try fixture.insert(0..<600)
        // About 60 nodes pass, spread over the graph; the walk stops after 50 distances.
        let filter = VectorFilter(predicate: { $0.id == "v599" || $0.id == "v3" || $0.id.description.hasSuffix("7") })
        let result = try fixture.store.reader().nearest(to: fixture.vector(), k: 100, in: "text", namespace: "ns", filter: filter)
        #expect(result.hits.count < 100)
        #expect(result.budgetExhausted)
        #expect(!result.filterExhausted)
    }
}
