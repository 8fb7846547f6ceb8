import CampaignSupport
import StrataEngine
import StrataTestSupport
import Testing

@Suite struct FaultCheckTests {
    /// `fault-campaign --seed 33` reported a lost commit that was the campaign's own mistake: a
    /// transaction whose read failed (opening a segment after a reopen) threw, the engine
    /// discarded it, and the check then built its next durable write on the model state *with*
    /// the discarded transaction. The check now builds on the state the database shows.
    @Test func aTransactionFailingOnAReadIsNotCountedIntoTheNextWrite() {
        var workload = Workload(seed: 33, steps: 0)
        workload.segmentGCRatio = 0.2  // keep the first segment where it is
        // t0 spans several leaves. The leaf of its first key stays in the first segment, while
        // a change at its far end rewrites its root; 80 KB more roll the segment. Reopening
        // then reads the catalog and roots from later segments, and the first segment is
        // opened only when the last commit reads `key`.
        let keys = (0..<20).map { Array("a\($0 + 10)".utf8) }
        let key = keys[0]
        let first = keys.map { Workload.Mutation.put(tree: 0, key: $0, value: Array(repeating: 7, count: 100)) }
        var random = SeededRandom(seed: 33)
        let filler: [Workload.Step] = (0..<40).map { i in
            let value = (0..<2000).map { _ in UInt8.random(in: 0...255, using: &random) }  // incompressible
            return .commit([.put(tree: 1, key: Array("f\(i)".utf8), value: value)], durable: false)
        }
        workload.steps =
            [.commit(first, durable: true), .checkpoint, .commit([.put(tree: 0, key: keys[19], value: [1])], durable: false)]
            + filler + [.checkpoint, .reopen]
            // Reads `key`, then writes: fails as a whole if opening `key`'s segment fails.
            + [.commit([.append(tree: 0, key: key, suffix: [9]), .put(tree: 2, key: key, value: [5])], durable: false)]
        let opens = FaultCheck.dryRun(workload.steps, workload)[.open, default: 0]
        #expect(opens > 0)
        var failedInTheLastCommit = 0
        for n in 1...opens {
            let plan = FaultCheck.Plan(rules: [.init(.open, .nth(n), fault: .ioError)])
            let result = FaultCheck.check(workload.steps, workload, plan: plan)
            #expect(result.violation == nil, "open #\(n) of \(opens) failing: \(result.violation ?? "")")
            #expect(result.injected == 1)
            if result.failedStep == workload.steps.count - 1 { failedInTheLastCommit += 1 }
        }
        #expect(failedInTheLastCommit > 0, "no open failure landed in the read-modify-write commit")
    }

    /// The seed-33 iteration itself: the campaign's `--iteration` rerun draws the same workload
    /// and plan from its seed, and the check now passes it.
    @Test func theSeed33IterationIsReproducibleAndPasses() {
        let a = FaultCheck.iteration(seed: 4_048_559_780_370_043_229)
        let b = FaultCheck.iteration(seed: 4_048_559_780_370_043_229)
        #expect(a.workload.steps == b.workload.steps)
        #expect(a.plan.description == b.plan.description)
        #expect(FaultCheck.check(a.workload.steps, a.workload, plan: a.plan).violation == nil)
    }
}
