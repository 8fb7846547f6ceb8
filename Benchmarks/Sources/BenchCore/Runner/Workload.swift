/// The db_bench-style workloads of WORKLOADS.md, in the order one process runs them.
public enum Workload: String, CaseIterable, Sendable {
    case fillseq, fillrandom, overwrite, readrandom, readmissing, readseq, open, syncwrite
}

/// The "beyond db_bench" workloads, which any peer can run after the standard ones.
public enum BeyondWorkload: String, CaseIterable, Sendable {
    /// Synced single-key commits from 1, 2, 4 and 8 threads (`synccommit_t1` …).
    case synccommit
    /// Space on disk over repeated overwrite rounds (`space_r0` …).
    case space
    /// N keys under an equal memory budget per engine (`scale_fillrandom` …; `ScaleRunner`).
    /// Runs alone in its process, so that its I/O counters and peak RSS are its own.
    case scale
}

/// What one run does, shared by every engine.
public struct WorkloadConfiguration: Sendable {
    /// N, the number of keys.
    public var n: Int
    /// The seed of every generator.
    public var seed: UInt64
    /// SYNC_N, the number of syncwrite commits (at most N).
    public var syncN: Int
    /// Puts per batch.
    public var batchSize: Int
    /// Where this engine's databases go; created and removed by the runner.
    public var directory: String
    /// The standard workloads to report (the ones they depend on still run).
    public var workloads: Set<Workload>
    /// The beyond-db_bench workloads to run.
    public var beyond: Set<BeyondWorkload>
    /// Thread counts of `synccommit`.
    public var commitThreads: [Int]
    /// Keys of the `space` runner.
    public var spaceN: Int
    /// Overwrite rounds of the `space` runner.
    public var spaceRounds: Int

    /// WORKLOADS.md's defaults (N = 1,000,000, seed 42, SYNC_N 2000, batch 1000).
    public init(
        n: Int = 1_000_000, seed: UInt64 = 42, syncN: Int = 2000, batchSize: Int = 1000,
        directory: String, workloads: Set<Workload> = Set(Workload.allCases),
        beyond: Set<BeyondWorkload> = [], commitThreads: [Int] = [1, 2, 4, 8],
        spaceN: Int? = nil, spaceRounds: Int = 5
    ) {
        self.n = n
        self.seed = seed
        self.syncN = syncN
        self.batchSize = batchSize
        self.directory = directory
        self.workloads = workloads
        self.beyond = beyond
        self.commitThreads = commitThreads
        self.spaceN = spaceN ?? n
        self.spaceRounds = spaceRounds
    }

    /// The denominator of `space_amp` for `keys` keys: `keys * (16 + 100)`.
    public static func logicalBytes(_ keys: Int) -> Double {
        Double(keys) * Double(WorkloadData.keyLength + WorkloadData.valueLength)
    }
}

/// Keeps the optimizer from dropping the reads of a scan.
@inline(never) @_optimize(none)
public func blackHole<T>(_ value: T) {}
