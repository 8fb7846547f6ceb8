/// Runs WORKLOADS.md's eight workloads, in order, against one engine, and
/// hands each result line to `emit` in workload order as soon as it is final.
///
/// The overwrite line's `bytes_on_disk` is only known after readseq's close,
/// so overwrite, readrandom, readmissing and readseq are emitted together then.
public struct WorkloadRunner {
    /// The engine.
    public let peer: any KVPeer
    /// The run's parameters.
    public let configuration: WorkloadConfiguration
    let data: WorkloadData
    let emit: (WorkloadResult) -> Void
    let progress: (String) -> Void

    /// A runner for `peer`; `emit` gets the result lines, `progress` short notes for a person.
    public init(
        peer: any KVPeer, configuration: WorkloadConfiguration,
        emit: @escaping (WorkloadResult) -> Void, progress: @escaping (String) -> Void = { _ in }
    ) {
        self.peer = peer
        self.configuration = configuration
        self.data = WorkloadData(seed: configuration.seed)
        self.emit = emit
        self.progress = progress
    }

    var n: Int { configuration.n }

    /// Runs the selected workloads and those they depend on.
    public func run() throws {
        let selected = configuration.workloads
        var output = OrderedEmitter(selected: selected, emit: emit)
        defer { output.finish() }
        let root = configuration.directory + "/" + peer.name
        try DiskUsage.freshDirectory(root)
        defer { try? DiskUsage.remove(root) }

        if selected.contains(.fillseq) {
            output.record(try fillseq(directory: root + "/fillseq"))
        }
        let later: Set<Workload> = [.fillrandom, .overwrite, .readrandom, .readmissing, .readseq, .open, .syncwrite]
        guard !selected.isDisjoint(with: later) else { return }

        let directory = root + "/db"
        try DiskUsage.freshDirectory(directory)
        try peer.open(directory: directory, options: PeerOpenOptions(durable: false, expectedKeys: n))
        progress("fillrandom")
        let fillPermutation = data.permutation(tag: PermutationTag.fillrandom, n: n)
        var cpu = ProcessCPUClock.now()
        let fillNanos = try fill(fillPermutation, gen: WorkloadData.Generation.fill)
        var fillrandom = throughput(.fillrandom, ops: n, nanos: fillNanos)
        fillrandom.cpuMilliseconds = ProcessCPUClock.milliseconds(since: cpu)
        output.record(fillrandom)

        progress("overwrite")
        let overwritePermutation = data.permutation(tag: PermutationTag.overwrite, n: n)
        cpu = ProcessCPUClock.now()
        let overwriteNanos = try fill(overwritePermutation, gen: WorkloadData.Generation.overwrite)
        var overwrite = throughput(.overwrite, ops: n, nanos: overwriteNanos)
        overwrite.cpuMilliseconds = ProcessCPUClock.milliseconds(since: cpu)

        if selected.contains(.readrandom) { output.record(try readrandom()) }
        if selected.contains(.readmissing) { output.record(try readmissing()) }
        if selected.contains(.readseq) { output.record(try readseq()) }

        try peer.close()
        DiskUsage.syncAll()
        let bytes = try DiskUsage.bytesOnDisk(directory)
        overwrite.bytesOnDisk = bytes
        overwrite.spaceAmplification = Double(bytes) / WorkloadConfiguration.logicalBytes(n)
        output.record(overwrite)

        guard selected.contains(.open) || selected.contains(.syncwrite) else { return }
        output.record(try openDurable(directory: directory))
        if selected.contains(.syncwrite) { output.record(try syncwrite()) }
        try peer.close()
        try DiskUsage.remove(directory)
    }

    // MARK: Phases

    func fillseq(directory: String) throws -> WorkloadResult {
        progress("fillseq")
        try DiskUsage.freshDirectory(directory)
        try peer.open(directory: directory, options: PeerOpenOptions(durable: false, expectedKeys: n))
        let cpu = ProcessCPUClock.now()
        let nanos = try fill(nil, gen: WorkloadData.Generation.fill)
        let cpuMilliseconds = ProcessCPUClock.milliseconds(since: cpu)
        try peer.close()
        DiskUsage.syncAll()
        var result = throughput(.fillseq, ops: n, nanos: nanos)
        result.cpuMilliseconds = cpuMilliseconds
        let bytes = try DiskUsage.bytesOnDisk(directory)
        result.bytesOnDisk = bytes
        result.spaceAmplification = Double(bytes) / WorkloadConfiguration.logicalBytes(n)
        try DiskUsage.remove(directory)
        return result
    }

    /// Puts `key(p) -> value(p, gen)` for `p` in `order` (or `0..<n` if nil), in
    /// batches, the last one durable. Returns the timed region in nanoseconds.
    func fill(_ order: [UInt32]?, gen: UInt64) throws -> UInt64 {
        try BulkLoader(peer: peer, data: data, batchSize: configuration.batchSize)
            .load(count: n, order: order, gen: gen)
    }

    func readrandom() throws -> WorkloadResult {
        progress("readrandom")
        let order = data.permutation(tag: PermutationTag.readrandom, n: n)
        let data = self.data
        var misses = 0
        let cpu = ProcessCPUClock.now()
        let timing = try LatencyLoop.run(count: n, keyLength: WorkloadData.keyLength) { index, key in
            let p = UInt64(order[index])
            WorkloadData.writeKey(p, into: key)
            let expected = data.valuePrefix(p, gen: WorkloadData.Generation.overwrite)
            var ok = false
            _ = try peer.get(UnsafeRawBufferPointer(key)) { value in
                ok = value.count == WorkloadData.valueLength && value.loadUnaligned(as: UInt64.self) == expected
            }
            if !ok { misses += 1 }
        }
        var result = timing.result(peer: peer.name, workload: Workload.readrandom.rawValue, misses: misses, seed: data.seed)
        result.cpuMilliseconds = ProcessCPUClock.milliseconds(since: cpu)
        return result
    }

    func readmissing() throws -> WorkloadResult {
        progress("readmissing")
        let count = n / 10
        let order = data.permutation(tag: PermutationTag.readmissing, n: n)
        var notFound = 0
        let timing = try LatencyLoop.run(count: count, keyLength: WorkloadData.missingKeyLength) { index, key in
            WorkloadData.writeMissingKey(UInt64(order[index]), into: key)
            if try !peer.get(UnsafeRawBufferPointer(key), { _ in }) { notFound += 1 }
        }
        return timing.result(peer: peer.name, workload: Workload.readmissing.rawValue, misses: notFound, seed: data.seed)
    }

    func readseq() throws -> WorkloadResult {
        progress("readseq")
        var expected: UInt64 = 0
        var misses = 0
        var touched: UInt64 = 0
        let cpu = ProcessCPUClock.now()
        let start = MonotonicClock.now()
        try peer.scan { key, value in
            if WorkloadData.keyIndex(key) != expected { misses += 1 }
            if value.count == WorkloadData.valueLength {
                touched &+= value.loadUnaligned(fromByteOffset: 0, as: UInt64.self)
                touched ^= value.loadUnaligned(fromByteOffset: WorkloadData.valueLength - 8, as: UInt64.self)
            } else {
                misses += 1
            }
            expected += 1
            return true
        }
        let nanos = MonotonicClock.now() - start
        blackHole(touched)
        let seen = Int(expected)
        misses += max(0, n - seen)
        var result = throughput(.readseq, ops: seen, nanos: nanos)
        result.misses = misses
        result.cpuMilliseconds = ProcessCPUClock.milliseconds(since: cpu)
        return result
    }

    func openDurable(directory: String) throws -> WorkloadResult {
        progress("open")
        let key = WorkloadData.key(0)
        let expected = data.value(0, gen: WorkloadData.Generation.overwrite)
        let start = MonotonicClock.now()
        try peer.open(directory: directory, options: PeerOpenOptions(durable: true, expectedKeys: n))
        var ok = false
        _ = try key.withUnsafeBytes { key in
            try peer.get(key) { value in ok = value.elementsEqual(expected) }
        }
        let nanos = MonotonicClock.now() - start
        return WorkloadResult(
            peer: peer.name, workload: Workload.open.rawValue, n: 1,
            misses: ok ? 0 : 1, milliseconds: Double(nanos) / 1e6, seed: data.seed
        )
    }

    func syncwrite() throws -> WorkloadResult {
        progress("syncwrite")
        let count = min(configuration.syncN, n)
        let order = data.permutation(tag: PermutationTag.syncwrite, n: n)
        let data = self.data
        var batch = WriteBatch(capacity: 1)
        let timing = try LatencyLoop.run(count: count, keyLength: 0) { index, _ in
            batch.removeAll()
            batch.append(index: UInt64(order[index]), gen: WorkloadData.Generation.syncwrite, data: data)
            try peer.write(batch, durable: true)
        }
        return timing.result(peer: peer.name, workload: Workload.syncwrite.rawValue, misses: nil, seed: data.seed)
    }

    func throughput(_ workload: Workload, ops: Int, nanos: UInt64) -> WorkloadResult {
        WorkloadResult(
            peer: peer.name, workload: workload.rawValue, n: ops,
            opsPerSecond: nanos == 0 ? nil : Double(ops) / (Double(nanos) / 1e9),
            milliseconds: Double(nanos) / 1e6, seed: data.seed
        )
    }
}

/// Emits results in workload order, holding back any that arrive before an
/// earlier selected one.
struct OrderedEmitter {
    let order: [Workload]
    let emit: (WorkloadResult) -> Void
    var held: [String: WorkloadResult] = [:]
    var next = 0

    init(selected: Set<Workload>, emit: @escaping (WorkloadResult) -> Void) {
        order = Workload.allCases.filter(selected.contains)
        self.emit = emit
    }

    /// Records `result`; it is emitted (or dropped, if its workload was not
    /// selected) once every earlier selected workload has been.
    mutating func record(_ result: WorkloadResult) {
        guard let workload = Workload(rawValue: result.workload), order.contains(workload) else { return }
        held[result.workload] = result
        while next < order.count, let ready = held.removeValue(forKey: order[next].rawValue) {
            emit(ready)
            next += 1
        }
    }

    mutating func finish() {
        while next < order.count {
            if let ready = held.removeValue(forKey: order[next].rawValue) { emit(ready) }
            next += 1
        }
    }
}
