import CampaignSupport
import StrataEngine
import StrataTestSupport
import Testing

/// The repair batches a graph write, a sweep or `repairVectorIndex` run are commits of their
/// own: the reference run and every replay must record exactly the same ones (issue 11's
/// failing graph crash points were both false violations from miscounted repair commits).
@Suite struct GraphRepairCampaignTests {
    /// A run with the power cut after `point` calls, its crash image in `mode` checked as the
    /// crash campaign checks it. Returns nil or the violation.
    static func check(_ workload: GraphWorkload, states: [ModelState], point: Int, mode: CrashMode) -> String? {
        let fileSystem = CrashSimulatingFileSystem()
        fileSystem.crashAfterOperations = point
        let outcome = GraphWorkloadRunner(workload: workload, path: "/db", fileSystem: fileSystem, reference: states).run()
        let (history, failure) = outcome.afterPowerLoss()
        if let failure { return failure }
        var random = SeededRandom(seed: UInt64(point))
        let image = fileSystem.crashImage(using: &random, mode: mode)
        return GraphRecoveryCheck.check(
            image: image, path: "/db", history: history, segmentGCRatio: workload.segmentGCRatio, using: &random, readOnly: false)
    }

    /// `repairVectorIndex` over a store with no HNSW graph runs no batch: the reference recorded
    /// a state for it anyway, the replay none, so every later commit was off by one.
    @Test func aRepairPassOverNoGraphRecordsNoCommit() throws {
        var workload = GraphWorkload(seed: 3, steps: 0)
        workload.steps = [.repairVectors(batchSize: 2), .transaction([.conversation("c0")], durable: true)]
        let reference = GraphWorkloadRunner(workload: workload, path: "/db", fileSystem: MemoryFileSystem()).run()
        #expect(reference.error == nil)
        try reference.database?.close()
        let replay = GraphWorkloadRunner(
            workload: workload, path: "/db", fileSystem: MemoryFileSystem(), reference: reference.history.states
        ).run()
        #expect(replay.error == nil)
        #expect(replay.history.states.count == reference.history.states.count)
        let db = try #require(replay.database)
        #expect(replay.history.match(try RecoveryCheck.readState(db)) == replay.history.states.count - 1)
        try db.close()
    }

    /// The shrunk case of crash-campaign --workload graph seed 1796583963666159313 iteration
    /// 14614968537913185718 (three of its steps: buffered, buffered, durable, the last making a
    /// repair batch due): with the power cut between the durable write and its repair batch,
    /// the batch's commit was published but never synced, the write swallowed the error, and
    /// the runner acknowledged it. Every crash point of the three steps must recover cleanly.
    @Test func aRepairBatchCutByThePowerIsNeverAcknowledged() throws {
        let iterationSeed: UInt64 = 14_614_968_537_913_185_718
        var random = SeededRandom(seed: iterationSeed)
        let full = GraphWorkload(seed: iterationSeed, steps: Int.random(in: 20...120, using: &random))
        try #require(full.steps.count == 105)
        var workload = full
        workload.steps = [full.steps[73], full.steps[80], full.steps[85]]
        #expect(workload.steps[2].description.hasPrefix("transaction(durable: true, [conversation(c1), message(c7.m4"))
        let fileSystem = CrashSimulatingFileSystem()
        let reference = GraphWorkloadRunner(workload: workload, path: "/db", fileSystem: fileSystem).run()
        #expect(reference.error == nil)
        try reference.database?.close()
        let states = reference.history.states
        var violations: [String] = []
        for point in 0..<fileSystem.operationCount {
            if let failure = Self.check(workload, states: states, point: point, mode: .dropUnsynced) {
                violations.append("point \(point): \(failure.prefix(300))")
            }
        }
        #expect(violations.isEmpty, "\(violations.prefix(3))")
    }
}
