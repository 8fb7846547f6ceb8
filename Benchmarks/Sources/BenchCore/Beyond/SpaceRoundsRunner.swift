/// Beyond db_bench: space on disk over repeated overwrite rounds, which shows
/// whether an engine reclaims the space of overwritten values.
///
/// A fresh database gets `key(i) -> value(i, 0)` for `i` in `0..<spaceN` in
/// order (round 0), then `spaceRounds` rounds of overwriting every key in
/// `perm(2)` order, alternating `value(p, 1)` and `value(p, 2)`, in batches
/// with the last one durable. After each round the database is closed,
/// `sync()` runs, `bytes_on_disk` is measured, and it is reopened. The line
/// `space_rR` reports round R's write throughput and the space after it.
public struct SpaceRoundsRunner {
    let peer: any KVPeer
    let configuration: WorkloadConfiguration
    let progress: (String) -> Void

    /// A runner for `peer`.
    public init(peer: any KVPeer, configuration: WorkloadConfiguration, progress: @escaping (String) -> Void = { _ in }) {
        self.peer = peer
        self.configuration = configuration
        self.progress = progress
    }

    /// Runs round 0 and every overwrite round, emitting one line each.
    public func run(emit: (WorkloadResult) -> Void) throws {
        let n = configuration.spaceN
        let data = WorkloadData(seed: configuration.seed)
        let loader = BulkLoader(peer: peer, data: data, batchSize: configuration.batchSize)
        let order = data.permutation(tag: PermutationTag.overwrite, n: n)
        let directory = configuration.directory + "/" + peer.name + "/space"
        try DiskUsage.freshDirectory(directory)
        defer { try? DiskUsage.remove(directory) }
        for round in 0...max(configuration.spaceRounds, 0) {
            progress("space_r\(round)")
            try peer.open(directory: directory, options: PeerOpenOptions(durable: false, expectedKeys: n))
            let nanos = round == 0
                ? try loader.load(count: n, order: nil, gen: WorkloadData.Generation.fill)
                : try loader.load(count: n, order: order, gen: round % 2 == 1 ? 1 : 2)
            try peer.close()
            DiskUsage.syncAll()
            let bytes = try DiskUsage.bytesOnDisk(directory)
            emit(WorkloadResult(
                peer: peer.name, workload: "space_r\(round)", n: n,
                opsPerSecond: nanos == 0 ? nil : Double(n) / (Double(nanos) / 1e9),
                bytesOnDisk: bytes, spaceAmplification: Double(bytes) / WorkloadConfiguration.logicalBytes(n),
                milliseconds: Double(nanos) / 1e6, seed: configuration.seed
            ))
        }
    }
}
