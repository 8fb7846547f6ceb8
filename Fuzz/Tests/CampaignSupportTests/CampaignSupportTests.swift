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
