import ArgumentParser
import StrataTestSupport

/// The crash and fault campaigns' switches for the workload steps and checks added for
/// issue 9 (batches at the WAL frame bound, writes through the handles of dropped trees, bit
/// rot in a superblock slot or the catalog).
///
/// Every switch is on by default: the engine refuses over-bound writes (`invalidArgument`) and
/// writes through stale handles (`notFound`) before anything is logged; `--no-…` turns one off
/// (to reproduce a seed from before a switch existed).
public struct WorkloadWidening: ParsableArguments {
    @Flag(inversion: .prefixedNo, help: "Now and then a batch just under Limits.maxBatchBytes (two values of about 31 and 17 MiB).")
    public var bigBatches = true
    @Option(help: "One workload in this many gets a big batch (each costs seconds in a simulated file system).")
    public var bigBatchOneIn = 1000
    @Flag(inversion: .prefixedNo, help: "In those big batches, a last put that crosses the bound: it must throw invalidArgument and change nothing.")
    public var overBoundBatches = true
    @Flag(inversion: .prefixedNo, help: "Drop and re-create trees, writing through the old handle: it must throw notFound and change nothing.")
    public var staleHandles = true
    @Flag(inversion: .prefixedNo, help: "After each check, change one byte of a superblock slot or the catalog page and check the open.")
    public var damage = true

    public init() {}

    /// The workload options these switches ask for.
    public var options: Workload.Options {
        var options = Workload.Options(bigBatches: bigBatches, overBoundBatches: overBoundBatches, staleHandles: staleHandles)
        options.bigBatchOneIn = max(1, bigBatchOneIn)
        return options
    }

    /// The damage to check for the unit with seed `seed` (the targets in turn), or nil.
    public func damageTarget(_ seed: UInt64) -> DamageCheck.Target? {
        guard damage else { return nil }
        var random = SeededRandom(seed: seed ^ 0xDA3A6E)
        return DamageCheck.Target.allCases.randomElement(using: &random)
    }
}
