/// Writes keys in batches, the last batch durable: the timed loop of the fill
/// and overwrite phases.
public struct BulkLoader {
    let peer: any KVPeer
    let data: WorkloadData
    let batchSize: Int

    /// A loader writing to `peer` in batches of `batchSize`.
    public init(peer: any KVPeer, data: WorkloadData, batchSize: Int) {
        precondition(batchSize > 0)
        self.peer = peer
        self.data = data
        self.batchSize = batchSize
    }

    /// Puts `key(p) -> value(p, gen)` for the first `count` `p` of `order`
    /// (or `0..<count` if nil), in batches of consecutive entries, the last
    /// batch durable. Generating keys and values is inside the timed region.
    /// Returns the elapsed nanoseconds, first batch through the durable commit.
    public func load(count: Int, order: [UInt32]?, gen: UInt64) throws -> UInt64 {
        var batch = WriteBatch(capacity: batchSize)
        let start = MonotonicClock.now()
        var next = 0
        while next < count {
            let end = min(next + batchSize, count)
            batch.removeAll()
            if let order {
                for index in next..<end { batch.append(index: UInt64(order[index]), gen: gen, data: data) }
            } else {
                for index in next..<end { batch.append(index: UInt64(index), gen: gen, data: data) }
            }
            try peer.write(batch, durable: end == count)
            next = end
        }
        return MonotonicClock.now() - start
    }
}
