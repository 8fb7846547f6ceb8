import CampaignSupport
import StrataEngine
@_spi(Testing) import StrataGraph
import StrataTestSupport
import Testing

@Suite struct GraphRebuildCampaignTests {
    /// A graph built by a workload's transactions (nodes updated, deleted, edges invalidated and
    /// removed, vectors, expiring memories), then a rebuild in batches of 2 and a synced write.
    static func workload(seed: UInt64) -> GraphWorkload {
        var workload = GraphWorkload(seed: seed, steps: 50)
        workload.steps = workload.steps.filter { if case .transaction = $0 { true } else { false } }
        workload.steps += [.flush, .rebuild(batchSize: 2), .transaction([.entity("e0")], durable: true)]
        return workload
    }

    static func inRebuild(_ state: ModelState) -> Bool { state["graph.meta"]?[MemoryStore.rebuildProgressKey] != nil }

    /// The reference run records one state per rebuild transaction (the clearing one, then one per
    /// batch of 2 records), its first states are missing derived entries, and the last equals the
    /// state before the rebuild.
    @Test func theReferenceRunRecordsEveryRebuildBatchAsACommit() throws {
        let workload = Self.workload(seed: 21)
        let outcome = GraphWorkloadRunner(workload: workload, path: "/db", fileSystem: MemoryFileSystem()).run()
        #expect(outcome.error == nil)
        try outcome.database?.close()
        let states = outcome.history.states
        let first = try #require(states.firstIndex(where: Self.inRebuild))
        let last = try #require(states.lastIndex(where: Self.inRebuild))
        let records = ["graph.nodes", "graph.edges", "graph.embeddings"].reduce(0) { $0 + (states[first - 1][$1]?.count ?? 0) }
        #expect(records > 20, "the workload builds a graph")
        // The clearing transaction, then per phase one per 2 records and one that finds it done.
        let batches = ["graph.nodes", "graph.edges", "graph.embeddings"].reduce(1) { $0 + states[first - 1][$1]!.count / 2 + 1 }
        #expect(last - first + 2 == batches, "the clearing transaction and every batch but the last leave the progress")
        #expect(states[first]["graph.index"]!.isEmpty && states[first]["graph.edges.in"]!.isEmpty)
        #expect(states[last + 1] == states[first - 1], "a completed rebuild leaves every tree as it was")
    }

    /// Crash points all through a rebuild: each image recovers to a commit of the reference (the
    /// engine check), and the store's open finishes an interrupted rebuild to exactly the state
    /// before it began, sound (the graph check); some images do stop inside the rebuild.
    @Test func aCrashInsideARebuildRecoversToASoundGraph() throws {
        let workload = Self.workload(seed: 21)
        let referenceFileSystem = CrashSimulatingFileSystem()
        let reference = GraphWorkloadRunner(workload: workload, path: "/db", fileSystem: referenceFileSystem).run()
        #expect(reference.error == nil)
        try reference.database?.close()
        let states = reference.history.states
        let first = try #require(states.firstIndex(where: Self.inRebuild))
        let last = try #require(states.lastIndex(where: Self.inRebuild))
        // The file system call counts when the rebuild's first transaction and the synced write
        // after it are attempted: the rebuild's buffered batches reach the files in that write.
        let counting = CrashSimulatingFileSystem()
        var start = 0
        var synced = 0
        var replay = GraphWorkloadRunner(workload: workload, path: "/db", fileSystem: counting, reference: states)
        replay.onAttempt = { index in
            if index == first { start = counting.operationCount }
            if index == last + 2 { synced = counting.operationCount }
        }
        let replayed = replay.run()
        #expect(replayed.error == nil)
        try replayed.database?.close()
        let end = min(counting.operationCount, synced + 6)
        #expect(start > 0 && end > start)

        var insideRebuild = 0
        var checked = 0
        for point in stride(from: start, to: end, by: max(1, (end - start) / 8)) {
            for mode in CrashMode.allCases {
                let fileSystem = CrashSimulatingFileSystem()
                fileSystem.crashAfterOperations = point
                let outcome = GraphWorkloadRunner(workload: workload, path: "/db", fileSystem: fileSystem, reference: states).run()
                var history = outcome.history
                if outcome.error == nil {
                    if (try? outcome.database?.close()) != nil { history.acknowledgeAll() }
                }
                var random = SeededRandom(seed: UInt64(point))
                let image = fileSystem.crashImage(using: &random, mode: mode)
                // What the engine recovers, before any store opens over it.
                let copy = CrashSimulatingFileSystem(startingFrom: image)
                let raw = try Database.open(at: "/db", configuration: WorkloadRunner.configuration(fileSystem: copy))
                if Self.inRebuild(try RecoveryCheck.readState(raw)) { insideRebuild += 1 }
                try raw.close()
                let failure = GraphRecoveryCheck.check(
                    image: image, path: "/db", history: history, segmentGCRatio: workload.segmentGCRatio, using: &random)
                #expect(failure == nil, "crash after \(point) calls, \(mode): \(failure ?? "")")
                checked += 1
            }
        }
        #expect(checked >= 24)
        #expect(insideRebuild > 0, "some crash images stop inside the rebuild")
    }

    /// The checker is not vacuous: if a store's open left an interrupted rebuild unfinished (here:
    /// its progress put back after the open finished it), the graph check reports it.
    @Test func stateAfterOpenOfAnInterruptedRebuildIsTheStateBeforeIt() throws {
        let workload = Self.workload(seed: 21)
        let outcome = GraphWorkloadRunner(workload: workload, path: "/db", fileSystem: MemoryFileSystem()).run()
        try outcome.database?.close()
        var history = ModelHistory()
        for state in outcome.history.states.dropFirst() { history.record(state) }
        let first = try #require(history.states.firstIndex(where: Self.inRebuild))
        let last = try #require(history.states.lastIndex(where: Self.inRebuild))
        for k in [first, (first + last) / 2, last] {
            let expected = try #require(GraphRecoveryCheck.stateAfterOpen(history, k))
            #expect(expected.0 == first - 1 && expected.1 == history.states[first - 1])
        }
        #expect(GraphRecoveryCheck.stateAfterOpen(history, last + 1)?.0 == last + 1)
    }

    /// Property: on graphs built by many workloads (with their rebuild steps), a completed rebuild
    /// in any batch size leaves every graph tree byte-identical, meta included, and sound.
    @Test(arguments: [1, 2, 3, 7, 64, 4096])
    func aCompletedRebuildLeavesEveryTreeByteIdentical(batchSize: Int) throws {
        for seed in UInt64(1)...6 {
            let workload = GraphWorkload(seed: seed &* 7919, steps: 90)
            let outcome = GraphWorkloadRunner(workload: workload, path: "/db", fileSystem: MemoryFileSystem()).run()
            #expect(outcome.error == nil, "\(String(describing: outcome.error))")
            let db = try #require(outcome.database)
            let store = try MemoryStore(database: db)
            let before = try RecoveryCheck.readState(db)
            let verification = try store.rebuildIndexes(batchSize: batchSize)
            #expect(verification.isSound, "\(verification.problems.prefix(3))")
            let after = try RecoveryCheck.readState(db)
            #expect(after == before, "seed \(seed), batch size \(batchSize): \(ModelHistory.difference(after, before))")
            try db.close()
        }
    }
}
