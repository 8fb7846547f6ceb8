/// What the scale workload does (Benchmarks/README.md, "The scale workload").
public struct ScaleConfiguration: Sendable {
    /// N, the keys of the fill.
    public var n: Int
    /// The seed of every generator.
    public var seed: UInt64
    /// Puts per batch (one commit each).
    public var batchSize: Int
    /// Where the database goes: DIR/ENGINE-scale, removed afterwards.
    public var directory: String
    /// Gets of the readrandom phase (at most N): the first ones of `perm(3)`.
    public var reads: Int
    /// Puts of the overwrite phase (at most N): the first ones of `perm(2)`.
    public var overwrites: Int
    /// Each engine's memory (`PeerOpenOptions.memory`).
    public var memory: MemoryBudget
    /// Wall-clock cap of the fill in seconds; nil for none. A capped fill stops after the
    /// batch that crossed it, syncs, and reports the keys it wrote; no phase follows.
    public var fillTimeLimit: Double?

    /// The issue-13 defaults: 1M reads, 1M overwrites, 64 MiB + 64 MiB, batches of 1000.
    public init(
        n: Int, seed: UInt64 = 42, batchSize: Int = 1000, directory: String, reads: Int = 1_000_000,
        overwrites: Int = 1_000_000, memory: MemoryBudget = MemoryBudget(cacheBytes: 64 << 20, writeBufferBytes: 64 << 20),
        fillTimeLimit: Double? = nil
    ) {
        self.n = n
        self.seed = seed
        self.batchSize = batchSize
        self.directory = directory
        self.reads = reads
        self.overwrites = overwrites
        self.memory = memory
        self.fillTimeLimit = fillTimeLimit
    }
}

/// The scale workload for one engine, alone in its process so that `/proc/self/io` and the
/// peak resident set are the engine's own: `scale_fillrandom` (N keys in `perm(1)` order,
/// timing every commit), `scale_readrandom` (the first `reads` keys of `perm(3)`, checked
/// against `value(p, 0)`), `scale_overwrite` (the first `overwrites` keys of `perm(2)`,
/// `value(p, 1)`), then `scale_total` (the whole run through close: bytes written per byte
/// inserted, bytes on disk, peak RSS).
public struct ScaleRunner {
    /// The engine.
    public let peer: any KVPeer
    /// The run's parameters.
    public let configuration: ScaleConfiguration
    let data: WorkloadData
    let progress: (String) -> Void

    /// A runner for `peer`; `progress` gets short notes for a person.
    public init(peer: any KVPeer, configuration: ScaleConfiguration, progress: @escaping (String) -> Void = { _ in }) {
        self.peer = peer
        self.configuration = configuration
        self.data = WorkloadData(seed: configuration.seed)
        self.progress = progress
    }

    var n: Int { configuration.n }
    var budgetMiB: Int { configuration.memory.cacheBytes >> 20 }

    /// Runs the phases, handing each line to `emit` as soon as it is final.
    public func run(emit: (ScaleResult) -> Void) throws {
        let directory = configuration.directory + "/" + peer.name + "-scale"
        try DiskUsage.freshDirectory(directory)
        defer { try? DiskUsage.remove(directory) }
        let startIO = ProcessIO.current()
        let start = MonotonicClock.now()

        progress("scale_fillrandom of \(n)")
        let (fill, harness) = try fillRandom(directory: directory)
        emit(fill)
        var inserted = fill.base.n
        if !fill.capped {
            progress("scale_readrandom of \(min(configuration.reads, n))")
            emit(try readRandom())
            progress("scale_overwrite of \(min(configuration.overwrites, n))")
            let overwrite = try write(
                tag: PermutationTag.overwrite, count: min(configuration.overwrites, n),
                gen: WorkloadData.Generation.overwrite, workload: "scale_overwrite", timeLimit: nil)
            emit(overwrite)
            inserted += overwrite.base.n
        }
        try peer.close()
        let nanos = MonotonicClock.now() - start
        DiskUsage.syncAll()
        let bytes = try DiskUsage.bytesOnDisk(directory)
        var total = ScaleResult(
            base: WorkloadResult(
                peer: peer.name, workload: "scale_total", n: inserted,
                bytesOnDisk: bytes, spaceAmplification: Double(bytes) / WorkloadConfiguration.logicalBytes(fill.base.n),
                milliseconds: Double(nanos) / 1e6, seed: data.seed),
            keys: n, budgetMiB: budgetMiB)
        total.capped = fill.capped
        total.harnessResidentMiB = harness
        setWrites(&total, from: startIO, inserted: inserted)
        emit(total)
    }

    // MARK: Phases

    func fillRandom(directory: String) throws -> (ScaleResult, harnessMiB: Double?) {
        let order = data.permutation(tag: PermutationTag.fillrandom, n: n)
        // The harness's own footprint, with the permutation resident, before the engine opens.
        let harness = ProcessMemory.current().map { Double($0.residentBytes) / 1048576 }
        try peer.open(
            directory: directory,
            options: PeerOpenOptions(durable: false, expectedKeys: n, memory: configuration.memory))
        var result = try write(
            order: order, count: n, gen: WorkloadData.Generation.fill, workload: "scale_fillrandom",
            timeLimit: configuration.fillTimeLimit)
        result.harnessResidentMiB = harness
        return (result, harness)
    }

    func write(tag: UInt64, count: Int, gen: UInt64, workload: String, timeLimit: Double?) throws -> ScaleResult {
        let order = data.permutation(tag: tag, n: n)
        return try write(order: order, count: count, gen: gen, workload: workload, timeLimit: timeLimit)
    }

    /// Puts `key(p) -> value(p, gen)` for the first `count` `p` of `order` in batches, the
    /// last durable, timing each commit; stops early (and syncs) past `timeLimit` seconds.
    func write(order: [UInt32], count: Int, gen: UInt64, workload: String, timeLimit: Double?) throws -> ScaleResult {
        let before = ProcessIO.current()
        var latencies: [UInt64] = []
        latencies.reserveCapacity(count / configuration.batchSize + 1)
        var batch = WriteBatch(capacity: configuration.batchSize)
        let deadline = timeLimit.map { MonotonicClock.now() + UInt64($0 * 1e9) }
        var capped = false
        let cpu = ProcessCPUClock.now()
        let start = MonotonicClock.now()
        var next = 0
        while next < count {
            let end = min(next + configuration.batchSize, count)
            batch.removeAll()
            for index in next..<end { batch.append(index: UInt64(order[index]), gen: gen, data: data) }
            let commitStart = MonotonicClock.now()
            try peer.write(batch, durable: end == count)
            let commitEnd = MonotonicClock.now()
            latencies.append(commitEnd - commitStart)
            next = end
            if let deadline, commitEnd > deadline, next < count {
                try peer.sync()
                capped = true
                break
            }
        }
        let nanos = MonotonicClock.now() - start
        var result = ScaleResult(
            base: WorkloadResult(
                peer: peer.name, workload: workload, n: next,
                opsPerSecond: nanos == 0 ? nil : Double(next) / (Double(nanos) / 1e9),
                milliseconds: Double(nanos) / 1e6, seed: data.seed),
            keys: n, budgetMiB: budgetMiB)
        result.base.cpuMilliseconds = ProcessCPUClock.milliseconds(since: cpu)
        result.capped = capped
        result.setLatencies(latencies)
        setWrites(&result, from: before, inserted: next)
        return result
    }

    func readRandom() throws -> ScaleResult {
        let before = ProcessIO.current()
        let count = min(configuration.reads, n)
        let order = data.permutation(tag: PermutationTag.readrandom, n: n)
        let data = self.data
        let peer = self.peer
        var misses = 0
        let cpu = ProcessCPUClock.now()
        let timing = try LatencyLoop.run(count: count, keyLength: WorkloadData.keyLength) { index, key in
            let p = UInt64(order[index])
            WorkloadData.writeKey(p, into: key)
            let expected = data.valuePrefix(p, gen: WorkloadData.Generation.fill)
            var ok = false
            _ = try peer.get(UnsafeRawBufferPointer(key)) { value in
                ok = value.count == WorkloadData.valueLength && value.loadUnaligned(as: UInt64.self) == expected
            }
            if !ok { misses += 1 }
        }
        var result = ScaleResult(
            base: timing.result(peer: peer.name, workload: "scale_readrandom", misses: misses, seed: data.seed),
            keys: n, budgetMiB: budgetMiB)
        result.base.cpuMilliseconds = ProcessCPUClock.milliseconds(since: cpu)
        result.setLatencies(timing.latencies)
        setWrites(&result, from: before, inserted: 0)
        return result
    }

    /// Sets the bytes written since `before`, per byte of `inserted` keys, and the peak RSS.
    func setWrites(_ result: inout ScaleResult, from before: ProcessIO?, inserted: Int) {
        if let before, let after = ProcessIO.current() {
            // Pages dirtied in an earlier phase and cancelled in this one count against this
            // one; clamped at 0 (the whole run's line is exact).
            let written = after.netWriteBytes >= before.netWriteBytes ? after.netWriteBytes - before.netWriteBytes : 0
            result.writeBytes = written
            if inserted > 0 { result.writeAmplification = Double(written) / WorkloadConfiguration.logicalBytes(inserted) }
        }
        let memory = ProcessMemory.current()
        result.peakResidentMiB = memory.map { Double($0.peakResidentBytes) / 1048576 }
        result.anonymousResidentMiB = memory?.anonymousResidentBytes.map { Double($0) / 1048576 }
    }
}
