import ArgumentParser
import StrataTestSupport

/// The crash and fault campaigns' switches for the workload steps and checks added for
/// issue 9 (batches at the WAL frame bound, writes through the handles of dropped trees, bit
/// rot in a superblock slot or the catalog).
///
/// `--over-bound-batches` and `--stale-handles` are off by default until the engine refuses
/// those writes (`invalidArgument`, `notFound`); big batches under the bound and damage checks
/// are on.
public struct WorkloadWidening: ParsableArguments {
    @Flag(inversion: .prefixedNo, help: "Now and then a batch just under Limits.maxBatchBytes (two values of about 31 and 17 MiB).")
    public var bigBatches = true
    @Option(help: "One workload in this many gets a big batch (each costs seconds in a simulated file system).")
    public var bigBatchOneIn = 1000
    @Flag(help: "In those big batches, a last put that crosses the bound: it must throw invalidArgument and change nothing.")
    public var overBoundBatches = false
    @Flag(help: "Drop and re-create trees, writing through the old handle: it must throw notFound and change nothing.")
    public var staleHandles = false
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
