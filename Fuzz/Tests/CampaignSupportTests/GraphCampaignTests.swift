import CampaignSupport
import StrataEngine
import StrataGraph
import StrataTestSupport
import Testing

@Suite struct GraphCampaignTests {
    @Test func graphWorkloadsAreReproducibleFromTheirSeed() {
        let a = GraphWorkload(seed: 42, steps: 150, bigBatchOneIn: 1)
        #expect(a.steps == GraphWorkload(seed: 42, steps: 150, bigBatchOneIn: 1).steps)
        #expect(a.hasBigBatch)
        #expect(GraphWorkload(seed: 43, steps: 150).steps != a.steps)
        #expect(!GraphWorkload(seed: 42, steps: 150).hasBigBatch)
    }

    /// The model is a clean reference run: a second reference run and a run replaying it must
    /// make exactly the same commits, or every crash check would report a false violation.
    @Test func referenceRunsAreDeterministicAndReplaysReachTheSameState() throws {
        let workload = GraphWorkload(seed: 11, steps: 120)
        let first = GraphWorkloadRunner(workload: workload, path: "/db", fileSystem: MemoryFileSystem()).run()
        #expect(first.error == nil)
        try first.database?.close()
        let second = GraphWorkloadRunner(workload: workload, path: "/db", fileSystem: MemoryFileSystem()).run()
        #expect(second.history.states == first.history.states)
        try second.database?.close()
        let replay = GraphWorkloadRunner(
            workload: workload, path: "/db", fileSystem: MemoryFileSystem(), reference: first.history.states
        ).run()
        #expect(replay.error == nil)
        #expect(replay.history.states.count == first.history.states.count)
        let db = try #require(replay.database)
        #expect(try RecoveryCheck.readState(db) == first.history.current)
        let store = try MemoryStore(database: db)
        let verification = try store.verify()
        #expect(verification.isSound)
        #expect(verification.nodes > 0 && verification.edges > 0 && verification.vectors > 0, "the workload builds a graph")
        try db.close()
    }

    /// The graph check is not vacuous: an index entry lost (a partial transaction) matches no
    /// commit, and if the model claimed that state were a commit, the graph verify reports it.
    @Test func graphRecoveryCheckCatchesAPartialTransaction() throws {
        let workload = GraphWorkload(seed: 5, steps: 60)
        let fileSystem = CrashSimulatingFileSystem()
        let outcome = GraphWorkloadRunner(workload: workload, path: "/db", fileSystem: fileSystem).run()
        #expect(outcome.error == nil)
        let db = try #require(outcome.database)
        try db.close()
        var history = outcome.history
        history.acknowledgeAll()
        var random = SeededRandom(seed: 3)
        let image = fileSystem.crashImage(using: &random, mode: .dropUnsynced)
        #expect(GraphRecoveryCheck.check(image: image, path: "/db", history: history, segmentGCRatio: 0.5, using: &random) == nil)

        // The same image with one structural index entry removed behind the graph's back.
        let damaged = CrashSimulatingFileSystem(startingFrom: image)
        let raw = try Database.open(at: "/db", configuration: WorkloadRunner.configuration(fileSystem: damaged))
        let index = try raw.ownedTree("graph.index", owner: TreeOwner("strata.graph"))
        let victim = try #require(try raw.read { snapshot -> [UInt8]? in
            var cursor = try snapshot[index].range(.unbounded, .unbounded)
            return try cursor.next()?.key
        })
        try raw.write { try $0.remove(victim, from: index) }
        let partial = try RecoveryCheck.readState(raw)
        try raw.close()
        let damagedImage = damaged.crashImage(using: &random, mode: .dropUnsynced)
        let failure = GraphRecoveryCheck.check(
            image: damagedImage, path: "/db", history: history, segmentGCRatio: 0.5, using: &random)
        #expect(failure?.contains("equals no commit at all") == true)

        var claimed = history
        claimed.record(partial)
        claimed.acknowledgeAll()
        let verifyFailure = GraphRecoveryCheck.check(
            image: damagedImage, path: "/db", history: claimed, segmentGCRatio: 0.5, using: &random)
        #expect(verifyFailure?.contains("graph verify after recovering commit") == true)
    }

    /// A synced write that changes nothing commits nothing and syncs nothing, so it does not
    /// make the buffered commits before it durable: the runner acknowledges only synced writes
    /// that committed (a crash campaign's first graph runs reported this as lost commits).
    @Test func anEmptySyncedTransactionAcknowledgesNothing() {
        var workload = GraphWorkload(seed: 1, steps: 0)
        workload.steps = [
            .transaction([.conversation("c0")], durable: false),
            .transaction([.delete("absent")], durable: true),
        ]
        let outcome = GraphWorkloadRunner(workload: workload, path: "/db", fileSystem: MemoryFileSystem()).run()
        #expect(outcome.error == nil)
        #expect(outcome.history.acknowledged == outcome.history.states.count - 3, "acknowledged through the setup's flush only")
        workload.steps[1] = .transaction([.entity("e0")], durable: true)
        let synced = GraphWorkloadRunner(workload: workload, path: "/db", fileSystem: MemoryFileSystem()).run()
        #expect(synced.history.acknowledged == synced.history.states.count - 1)
        withExtendedLifetime((outcome.database, synced.database)) {}
    }
}
