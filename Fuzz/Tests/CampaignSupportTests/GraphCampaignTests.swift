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

    /// Crash images taken while the store creates its trees (one commit each, buffered, reaching
    /// the files in the setup's flush) each recover to one of the runner's creation states: its
    /// list of those trees must be the store's own (it lacked `graph.degrees`, so an image with
    /// the first nine trees and no `graph.meta` matched no commit: a false violation).
    @Test func crashesWhileTheStoreIsCreatedRecoverToACreationState() throws {
        var workload = GraphWorkload(seed: 2, steps: 0)
        workload.steps = [.transaction([.conversation("c0")], durable: true)]
        let reference = GraphWorkloadRunner(workload: workload, path: "/db", fileSystem: CrashSimulatingFileSystem()).run()
        #expect(reference.error == nil)
        try reference.database?.close()
        let states = reference.history.states
        let total = CrashSimulatingFileSystem()
        let counted = GraphWorkloadRunner(workload: workload, path: "/db", fileSystem: total).run()
        try counted.database?.close()
        var recovered = Set<Int>()
        for point in 0..<total.operationCount {
            let fileSystem = CrashSimulatingFileSystem()
            fileSystem.crashAfterOperations = point
            let outcome = GraphWorkloadRunner(workload: workload, path: "/db", fileSystem: fileSystem, reference: states).run()
            for attempt in 0..<40 {
                // A torn prefix of the flush's write: any number of the creation's commits.
                var random = SeededRandom(seed: UInt64(point * 100 + attempt))
                let copy = CrashSimulatingFileSystem(startingFrom: fileSystem.crashImage(using: &random, mode: .keepPrefix))
                guard let raw = try? Database.open(at: "/db", configuration: WorkloadRunner.configuration(fileSystem: copy)) else { continue }
                let state = try RecoveryCheck.readState(raw)
                try raw.close()
                let k = outcome.history.match(state)
                #expect(k != nil, "crash after \(point) calls (keepPrefix, attempt \(attempt)): trees \(state.keys.sorted())")
                if let k { recovered.insert(k) }
            }
        }
        let inside = recovered.filter { $0 > 0 && $0 < GraphWorkloadRunner.storeCreationStates }
        #expect(inside.count >= 6, "images stop all through the creation: \(recovered.sorted())")
    }
}
