import CampaignSupport
import StrataEngine
import StrataGraph
import StrataTestSupport
import StrataTiers
import Testing

/// The tiers workload, its model and its checks (`crash-campaign --workload tiers`).
@Suite struct TiersCampaignTests {
    static let root = "/tiers"

    /// Runs `steps` cleanly; returns the outcome with the store open.
    static func run(_ steps: [TiersWorkload.Step], on fileSystem: CrashSimulatingFileSystem = .init()) -> TiersWorkloadRunner.Outcome {
        TiersWorkloadRunner(workload: TiersWorkload(seed: 1, steps: steps), root: root, fileSystem: fileSystem).run()
    }

    @Test func workloadsAreReproducibleFromTheirSeed() {
        let a = TiersWorkload(seed: 42, steps: 200)
        #expect(a.steps.map(\.description) == TiersWorkload(seed: 42, steps: 200).steps.map(\.description))
        #expect(a.steps.map(\.description) != TiersWorkload(seed: 43, steps: 200).steps.map(\.description))
    }

    /// A clean run of a random workload moves records out of active, and its model reads back.
    @Test func aCleanRunMovesRecordsAndReadsAsItsModel() throws {
        let outcome = TiersWorkloadRunner(workload: TiersWorkload(seed: 7, steps: 90), root: Self.root, fileSystem: CrashSimulatingFileSystem()).run()
        #expect(outcome.error == nil)
        let store = try #require(outcome.store)
        defer { try? store.close() }
        try TiersRecoveryCheck.reads(store, outcome.model)
        #expect(try store.tiers().count > 1, "the workload moves records out of active")
        #expect(outcome.model.records.count > 10)
    }

    /// The checks are not vacuous: a record the model holds and the store lost, and a record the
    /// store shows though the model forgot it, are both reported.
    @Test func aLostOrAForgottenRecordIsCaught() throws {
        let steps: [TiersWorkload.Step] = [
            .conversation(0, ageDays: 200, messages: 2), .conversation(1, ageDays: 2, messages: 1), .entity(0, ageDays: 1),
            .mention(conversation: 0, index: 0, entity: 0), .migrate(maxBatches: 4),
        ]
        let outcome = Self.run(steps)
        let store = try #require(outcome.store)
        defer { try? store.close() }
        try TiersRecoveryCheck.reads(store, outcome.model)
        #expect(try store.tier(of: NodeID("c0")) != .active)
        var lost = outcome.model
        lost.records[NodeID("c9")] = lost.records[NodeID("c1")]
        #expect(throws: CampaignFailure.self) { try TiersRecoveryCheck.reads(store, lost) }
        var forgotten = outcome.model
        forgotten.records[NodeID("c1-m0")] = nil
        forgotten.gone.insert(NodeID("c1-m0"))
        #expect(throws: CampaignFailure.self) { try TiersRecoveryCheck.reads(store, forgotten) }
        // Uncertain after a cut step, either state passes.
        forgotten.uncertain.insert(NodeID("c1-m0"))
        try TiersRecoveryCheck.reads(store, forgotten)
    }

    /// A power loss in a migration is checked on its crash image: every record reads once after recovery.
    @Test func aCrashImageOfAMigrationPassesTheRecoveryCheck() throws {
        let steps: [TiersWorkload.Step] = [
            .conversation(0, ageDays: 200, messages: 3), .entity(0, ageDays: 100), .mention(conversation: 0, index: 1, entity: 0),
            .migrate(maxBatches: 8),
        ]
        let counting = CrashSimulatingFileSystem()
        try Self.run(steps, on: counting).store?.close()
        let total = counting.operationCount
        var rng = SeededRandom(seed: 3)
        for point in stride(from: 0, to: total, by: max(1, total / 12)) {
            let disk = CrashSimulatingFileSystem()
            disk.crashAfterOperations = point
            let outcome = Self.run(steps, on: disk)
            try? outcome.store?.close()
            let image = disk.crashImage(using: &rng, mode: .dropUnsynced)
            let failure = TiersRecoveryCheck.check(image: image, root: Self.root, model: outcome.model, now: outcome.now)
            #expect(failure == nil, "cut at \(point): \(failure ?? "")")
        }
    }
}

/// Probes of what the campaign may meet (kept as regression tests).
@Suite struct TiersForgetProbeTests {
    /// An entity forgotten in active after the message mentioning it moved to an archive: no
    /// query may show the edge to it any more.
    @Test func forgettingAnEntityMentionedFromAnArchiveLeavesNoEdge() throws {
        let outcome = TiersCampaignTests.run([
            .conversation(0, ageDays: 200, messages: 1), .entity(0, ageDays: 1), .mention(conversation: 0, index: 0, entity: 0),
            .migrate(maxBatches: 4), .forget(0, entity: true),
        ])
        #expect(outcome.error == nil)
        let store = try #require(outcome.store)
        defer { try? store.close() }
        #expect(try store.tier(of: NodeID("c0-m0")) != .active)
        #expect(try store.edges(of: NodeID("c0-m0")).isEmpty)
        try TiersRecoveryCheck.reads(store, outcome.model)
    }

    /// A conversation forgotten in active after the entity its message mentions moved out.
    @Test func forgettingAConversationWhoseMessageMentionsAnArchivedEntityLeavesNoEdge() throws {
        let outcome = TiersCampaignTests.run([
            .conversation(0, ageDays: 1, messages: 1), .entity(0, ageDays: 200), .mention(conversation: 0, index: 0, entity: 0),
            .migrate(maxBatches: 4), .forget(0, entity: false),
        ])
        #expect(outcome.error == nil)
        let store = try #require(outcome.store)
        defer { try? store.close() }
        #expect(try store.tier(of: NodeID("e0")) != .active)
        #expect(try store.edges(of: NodeID("e0"), direction: .incoming).isEmpty)
        let entity = try #require(try store.node(NodeID("e0")))
        #expect(entity.entity?.mentionCount == 0)
        try TiersRecoveryCheck.reads(store, outcome.model)
    }
}
