#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import CampaignSupport
import StrataEngine
import StrataGraph
import StrataTestSupport
import Testing

/// The recovery check's vector searches and statistics against the model (``GraphVectorCheck``,
/// ``RecoveredGraph``): they pass on a store that is the model, and fail when the store holds a
/// vector the model says is gone, lacks one the model holds, or counts differently.
@Suite struct GraphVectorCheckTests {
    /// A store built by a workload, its model (the reference state) and a time after its last node.
    static func built(seed: UInt64) throws -> (db: Database, store: MemoryStore, state: ModelState, now: Date) {
        let outcome = GraphWorkloadRunner(workload: GraphWorkload(seed: seed, steps: 150), path: "/db", fileSystem: MemoryFileSystem()).run()
        #expect(outcome.error == nil)
        let db = try #require(outcome.database)
        let store = try MemoryStore(database: db, configuration: GraphWorkloadRunner.storeConfiguration(clock: GraphClock()))
        let model = try RecoveredGraph(state: outcome.history.current, store: store)
        let now = try #require(model.nodes.values.map(\.createdAt).max())
        return (db, store, outcome.history.current, now)
    }

    static let thorough = GraphVectorCheck(recallFloor: 1.0, queriesPerSpace: 30)

    @Test(arguments: [UInt64(3), 8, 21])
    func searchesAndStatisticsAgreeWithTheModelOfTheSameState(seed: UInt64) throws {
        let (db, store, state, now) = try Self.built(seed: seed)
        let model = try RecoveredGraph(state: state, store: store)
        // The workload fills every space, and both namespaces hold vectors.
        #expect(model.spaces.count == GraphWorkload.spaces.count)
        #expect(GraphWorkload.spaces.allSatisfy { !(model.vectors[$0.name] ?? [:]).isEmpty }, "\(model.vectors.mapValues(\.count))")
        let namespaces = Set(model.vectors.values.flatMap(\.keys).compactMap { model.nodes[$0]?.namespace })
        #expect(namespaces == [GraphWorkload.namespace, GraphWorkload.otherNamespace])
        try model.checkStatistics(of: store, "on the reference")
        var random = SeededRandom(seed: seed)
        for offset in [0.0, 60, 400, 1e6] {
            try Self.thorough.check(store, model: model, now: now.addingTimeInterval(offset), using: &random)
        }
        try db.close()
    }

    /// A model that says a vector was removed (or its node forgotten): the store still returns
    /// it, and the check names it.
    @Test func aVectorTheModelDoesNotHoldIsReported() throws {
        let (db, store, state, now) = try Self.built(seed: 3)
        var claimed = state
        let victim = try #require(claimed["graph.embeddings"]?.keys.sorted { $0.lexicographicallyPrecedes($1) }.first)
        claimed["graph.embeddings"]![victim] = nil
        let model = try RecoveredGraph(state: claimed, store: store)
        var random = SeededRandom(seed: 1)
        let failure = #expect(throws: CampaignFailure.self) {
            try Self.thorough.check(store, model: model, now: now, using: &random)
        }
        #expect(failure?.description.contains("a node without a vector in the space in the model") == true, "\(failure as Any)")
        let statistics = #expect(throws: CampaignFailure.self) { try model.checkStatistics(of: store, "with a vector too many") }
        #expect(statistics?.description.contains("statistics()") == true)
        try db.close()
    }

    /// A model that holds a vector the store lost: searches come back short or with another node.
    @Test func aVectorTheStoreLostIsReported() throws {
        let (db, store, state, now) = try Self.built(seed: 3)
        let model = try RecoveredGraph(state: state, store: store)
        let space = GraphWorkload.spaces[0].name
        let (id, _) = try #require(model.vectors[space]?.first { model.nodes[$0.key]?.namespace == GraphWorkload.namespace && model.nodes[$0.key]?.expiresAt == nil })
        try store.write { g in _ = try g.removeVector(for: id, in: space) }
        var random = SeededRandom(seed: 2)
        let failure = #expect(throws: CampaignFailure.self) {
            try Self.thorough.check(store, model: model, now: now, using: &random)
        }
        #expect(failure != nil)
        try db.close()
    }
}

/// The shrinker serves graph workloads as it serves key-value ones.
@Suite struct GraphShrinkerTests {
    /// A failure that needs a conversation, a vector on one of its messages and a rebuild after
    /// them shrinks to those steps alone, in order.
    @Test func aFailingGraphWorkloadShrinksToTheStepsItNeeds() {
        var workload = GraphWorkload(seed: 9, steps: 60)
        let needed: [GraphWorkload.Step] = [
            .transaction([.conversation("c0"), .message("c0.m0", conversation: "c0", parent: nil, bytes: 10)], durable: false),
            .transaction([.vector("c0.m0", space: 1, seed: 5)], durable: true),
            .rebuild(batchSize: 2),
        ]
        workload.steps.insert(needed[0], at: 10)
        workload.steps.insert(needed[1], at: 30)
        workload.steps.insert(needed[2], at: 50)
        let shrunk = Shrinker.shrink(workload.steps, seconds: 30) { steps in
            guard let a = steps.firstIndex(of: needed[0]), let b = steps.firstIndex(of: needed[1]), let c = steps.lastIndex(of: needed[2])
            else { return false }
            return a < b && b < c
        }
        #expect(shrunk == needed)
    }
}
