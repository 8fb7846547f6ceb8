import Foundation
import Synchronization

/// Beyond db_bench: synced single-key commits from several threads at once,
/// which shows whether an engine groups concurrent commits into one sync.
///
/// For each thread count T, a fresh database is opened in durable mode and
/// the first `commits` entries `p` of `perm(5)` are shared round-robin among T
/// threads; each thread commits `key(p) -> value(p, 2)` one key per durable
/// commit. The line `synccommit_tT` reports all commits over the wall time
/// from the start signal to the last thread's end, and p50/p99 of the
/// per-commit latencies of all threads together.
public struct ConcurrentCommitRunner {
    let peer: any KVPeer
    let configuration: WorkloadConfiguration
    let progress: (String) -> Void

    /// A runner for `peer`.
    public init(peer: any KVPeer, configuration: WorkloadConfiguration, progress: @escaping (String) -> Void = { _ in }) {
        self.peer = peer
        self.configuration = configuration
        self.progress = progress
    }

    /// Runs every thread count in `configuration.commitThreads`, emitting one line each.
    public func run(emit: (WorkloadResult) -> Void) throws {
        let data = WorkloadData(seed: configuration.seed)
        let commits = min(configuration.syncN, configuration.n)
        let order = Array(data.permutation(tag: PermutationTag.syncwrite, n: configuration.n).prefix(commits))
        for threads in configuration.commitThreads where threads > 0 {
            progress("synccommit_t\(threads)")
            let directory = configuration.directory + "/" + peer.name + "/synccommit"
            try DiskUsage.freshDirectory(directory)
            try peer.open(directory: directory, options: PeerOpenOptions(durable: true, expectedKeys: configuration.n))
            let (latencies, nanos) = try commit(order: order, threads: threads, data: data)
            try peer.close()
            try DiskUsage.remove(directory)
            let percentiles = Percentiles(latencies)
            emit(WorkloadResult(
                peer: peer.name, workload: "synccommit_t\(threads)", n: latencies.count,
                opsPerSecond: nanos == 0 ? nil : Double(latencies.count) / (Double(nanos) / 1e9),
                p50Microseconds: percentiles.microseconds(50), p99Microseconds: percentiles.microseconds(99),
                milliseconds: Double(nanos) / 1e6, seed: configuration.seed
            ))
        }
    }

    func commit(order: [UInt32], threads: Int, data: WorkloadData) throws -> ([UInt64], UInt64) {
        let peer = self.peer
        let start = DispatchSemaphore(value: 0)
        let done = DispatchGroup()
        let collected = Mutex<(latencies: [UInt64], errors: [String])>(([], []))
        for thread in 0..<threads {
            done.enter()
            let worker = Thread {
                defer { done.leave() }
                var latencies: [UInt64] = []
                latencies.reserveCapacity(order.count / threads + 1)
                var batch = WriteBatch(capacity: 1)
                start.wait()
                var previous = MonotonicClock.now()
                do {
                    for index in stride(from: thread, to: order.count, by: threads) {
                        batch.removeAll()
                        batch.append(index: UInt64(order[index]), gen: WorkloadData.Generation.syncwrite, data: data)
                        try peer.write(batch, durable: true)
                        let now = MonotonicClock.now()
                        latencies.append(now - previous)
                        previous = now
                    }
                    collected.withLock { $0.latencies += latencies }
                } catch {
                    collected.withLock { $0.errors.append(String(describing: error)) }
                }
            }
            worker.start()
        }
        let begin = MonotonicClock.now()
        for _ in 0..<threads { start.signal() }
        done.wait()
        let nanos = MonotonicClock.now() - begin
        let (latencies, errors) = collected.withLock { ($0.latencies, $0.errors) }
        if let first = errors.first {
            throw PeerError(peer: peer.name, operation: "synccommit_t\(threads)", message: first)
        }
        return (latencies, nanos)
    }
}
