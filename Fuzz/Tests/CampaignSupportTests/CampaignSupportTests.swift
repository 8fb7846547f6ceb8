import CampaignSupport
import StrataEngine
import StrataTestSupport
import Testing

@Suite struct CampaignSupportTests {
    @Test func workloadsAreReproducibleFromTheirSeed() {
        let a = Workload(seed: 42, steps: 200)
        let b = Workload(seed: 42, steps: 200)
        #expect(a.steps == b.steps)
        #expect(a.segmentGCRatio == b.segmentGCRatio)
        #expect(Workload(seed: 43, steps: 200).steps != a.steps)
    }

    @Test func simulatedHistoryMatchesARealRun() throws {
        let workload = Workload(seed: 7, steps: 120)
        let fileSystem = MemoryFileSystem()
        let outcome = WorkloadRunner(workload: workload, path: "/db", fileSystem: fileSystem).run()
        #expect(outcome.error == nil)
        let simulated = WorkloadRunner.simulate(workload)
        #expect(simulated.states == outcome.history.states)
        let db = try #require(outcome.database)
        #expect(try RecoveryCheck.readState(db) == outcome.history.current)
        try db.close()
    }

    @Test func matchAcceptsOnlyStatesAtOrAfterTheAcknowledgedOne() {
        var history = ModelHistory()
        let one = ModelHistory.apply([.put(tree: 0, key: [1], value: [1])], to: history.current)
        history.record(one)
        history.acknowledgeAll()
        let two = ModelHistory.apply([.remove(tree: 0, key: [1]), .append(tree: 1, key: [2], suffix: [3])], to: one)
        history.record(two)
        #expect(history.match(one) == 1)
        #expect(history.match(two) == 2)
        #expect(history.match([:]) == nil, "the state before the acknowledged commit is a lost commit")
        #expect(two["t1"]?[[2]] == [3])
    }

    /// The checker is not vacuous: claiming commits durable that never were synced is caught.
    @Test func recoveryCheckCatchesALostAcknowledgedCommit() throws {
        var workload = Workload(seed: 9, steps: 0)
        workload.steps = [.commit([.put(tree: 0, key: Array("k".utf8), value: [9])], durable: false)]
        let fileSystem = CrashSimulatingFileSystem()
        let outcome = WorkloadRunner(workload: workload, path: "/db", fileSystem: fileSystem).run()
        #expect(outcome.error == nil)
        var lying = outcome.history
        lying.acknowledgeAll()
        var random = SeededRandom(seed: 1)
        let image = fileSystem.crashImage(using: &random, mode: .dropUnsynced)
        #expect(RecoveryCheck.check(image: image, path: "/db", history: outcome.history, segmentGCRatio: 0.5, using: &random) == nil)
        let failure = RecoveryCheck.check(image: image, path: "/db", history: lying, segmentGCRatio: 0.5, using: &random)
        #expect(failure?.contains("lost acknowledged commits") == true)
        withExtendedLifetime(outcome.database) {}
    }

    @Test func shrinkerFindsTheStepThatMatters() {
        let steps: [Workload.Step] = (0..<40).map { $0 == 23 ? .checkpoint : .flush }
        let shrunk = Shrinker.shrink(steps) { $0.contains(.checkpoint) }
        #expect(shrunk == [.checkpoint])
    }
}

/// The issue-9 widening: the new steps run, the model follows them, and the damage check holds
/// on a database with several checkpoints and a GC.
@Suite struct WorkloadWideningTests {
    @Test func bigBatchJustUnderTheBoundRunsAndMatchesTheModel() throws {
        var options = Workload.Options(bigBatches: true)
        options.bigBatchOneIn = 1
        let workload = Workload(seed: 5, steps: 30, options: options)
        let big = workload.steps.contains { step in
            guard case .commit(let mutations, _) = step else { return false }
            return mutations.contains { if case .put(_, _, let value) = $0 { value.count > 16 << 20 } else { false } }
        }
        #expect(big, "no big batch was generated")
        let outcome = WorkloadRunner(workload: workload, path: "/db", fileSystem: MemoryFileSystem()).run()
        #expect(outcome.error == nil, "\(String(describing: outcome.error))")
        #expect(WorkloadRunner.simulate(workload).states == outcome.history.states)
        try outcome.database?.close()
    }

    @Test func overBoundWritesAndStaleHandlesAreRefusedAsTheModelExpects() throws {
        var options = Workload.Options(bigBatches: true, overBoundBatches: true, staleHandles: true)
        options.bigBatchOneIn = 1
        let workload = Workload(seed: 7, steps: 60, options: options)
        #expect(workload.steps.contains { if case .dropAndRecreate = $0 { true } else { false } })
        let outcome = WorkloadRunner(workload: workload, path: "/db", fileSystem: MemoryFileSystem()).run()
        #expect(outcome.error == nil, "\(String(describing: outcome.error))")
        #expect(WorkloadRunner.simulate(workload).states == outcome.history.states)
        try outcome.database?.close()
    }

    @Test func optionsOffLeaveTheWorkloadAsBefore() {
        #expect(Workload(seed: 11, steps: 150, options: Workload.Options()).steps == Workload(seed: 11, steps: 150).steps)
        var stale = Workload.Options(staleHandles: true)
        stale.bigBatchOneIn = 1
        let widened = Workload(seed: 11, steps: 150, options: stale)
        #expect(widened.steps.contains { if case .dropAndRecreate = $0 { true } else { false } })
    }

    @Test(arguments: DamageCheck.Target.allCases)
    func damageInASlotOrTheCatalogOpensOrIsRefusedCleanly(_ target: DamageCheck.Target) throws {
        let workload = Workload(seed: 21, steps: 160)
        let fileSystem = MemoryFileSystem()
        let outcome = WorkloadRunner(workload: workload, path: "/db", fileSystem: fileSystem).run()
        #expect(outcome.error == nil)
        var history = outcome.history
        try outcome.database?.close()
        history.acknowledgeAll()
        for seed in 0..<8 as Range<UInt64> {
            var random = SeededRandom(seed: seed)
            let failure = DamageCheck.check(
                image: fileSystem, path: "/db", history: history, segmentGCRatio: workload.segmentGCRatio, target: target,
                using: &random)
            #expect(failure == nil, "\(failure ?? "")")
        }
    }
}
