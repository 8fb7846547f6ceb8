import Foundation
import StrataEngine
import StrataGraph
import StrataTestSupport
import Testing

/// Seeded random operations on a ``MemoryStore`` and a ``ReferenceGraph`` (inserts of every
/// kind, updates, cascading deletes, edges, invalidation, vectors, access, expiry sweeps with a
/// moving clock, transactions that commit, catch errors or abort, bad inputs, reopen and
/// simulated power loss), with every query and the graph verify checked after every step.
///
/// `STRATA_GRAPH_MODEL_STEPS` sets the steps per seed (default 40: six seeds in about 20 s of a
/// debug build); `STRATA_SEED` runs one seed. Each run reopens and crashes at least once.
@Suite struct GraphModelTests {
    static var steps: Int {
        ProcessInfo.processInfo.environment["STRATA_GRAPH_MODEL_STEPS"].flatMap { Int($0) } ?? 40
    }

    @Test(arguments: [UInt64(1), 2, 3, 4, 5, 6])
    func randomOperationsMatchTheReferenceGraph(seed: UInt64) throws {
        var runner = try GraphModelRunner(seed: SeededRandom.seedFromEnvironment() ?? seed)
        do {
            try runner.run(steps: Self.steps)
        } catch let mismatch as ModelMismatch {
            Issue.record("\(mismatch)")
            try? runner.store.close()
            return
        }
        // Every kind of step ran.
        for kind in ["single", "transaction", "aborted", "expire", "clock", "convenience", "reopen", "crash"] {
            #expect(runner.counts[kind, default: 0] > 0 || Self.steps < 100 && !["reopen", "crash"].contains(kind),
                    "no \(kind) step ran, \(runner.generator.rng.seedDescription)")
        }
        try runner.store.close()
    }
}
