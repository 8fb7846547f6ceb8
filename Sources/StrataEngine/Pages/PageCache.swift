import Synchronization

/// Clean pages, decoded, under one budget counted in decoded bytes.
///
/// Sharded by address so concurrent readers rarely meet on a lock; each shard evicts with
/// CLOCK (second chance). Entries are immutable nodes, so a reader keeps using one it got even
/// after it is evicted.
final class PageCache: Sendable {
    private struct Entry {
        var node: PageNode
        var size: Int
        var referenced: Bool
    }

    private struct Shard {
        var index: [UInt64: Int] = [:]
        var keys: [UInt64] = []
        var entries: [Entry] = []
        var hand = 0
        var bytes = 0
        var hits = 0
        var misses = 0
    }

    /// One lock-guarded shard (a class, since a lock cannot be copied into an array).
    private final class ShardBox: Sendable {
        let state = Lock(Shard())
    }

    private let shards: [ShardBox]
    private let shardBudget: Int

    init(budget: Int, shardCount: Int = 16) {
        shards = (0..<shardCount).map { _ in ShardBox() }
        shardBudget = max(budget / shardCount, 1)
    }

    @inline(__always)
    private func shard(for key: UInt64) -> ShardBox {
        var h = key &* 0x9E37_79B9_7F4A_7C15
        h ^= h >> 29
        return shards[Int(h % UInt64(shards.count))]
    }

    func get(_ key: UInt64) -> PageNode? {
        shard(for: key).state.withLock { shard in
            guard let slot = shard.index[key] else {
                shard.misses += 1
                return nil
            }
            shard.hits += 1
            shard.entries[slot].referenced = true
            return shard.entries[slot].node
        }
    }

    func insert(_ key: UInt64, _ node: PageNode) {
        let size = node.memoryFootprint
        shard(for: key).state.withLock { shard in
            if let slot = shard.index[key] {
                shard.bytes += size - shard.entries[slot].size
                shard.entries[slot] = Entry(node: node, size: size, referenced: true)
                return
            }
            while shard.bytes + size > shardBudget, !shard.entries.isEmpty {
                evictOne(&shard)
            }
            shard.index[key] = shard.entries.count
            shard.keys.append(key)
            shard.entries.append(Entry(node: node, size: size, referenced: false))
            shard.bytes += size
        }
    }

    func remove(_ key: UInt64) {
        shard(for: key).state.withLock { shard in
            guard let slot = shard.index[key] else { return }
            removeSlot(slot, from: &shard)
        }
    }

    /// Drops every entry of a deleted segment.
    func removeSegment(_ segment: UInt32) {
        for box in shards {
            box.state.withLock { shard in
                var slot = 0
                while slot < shard.keys.count {
                    if UInt32(shard.keys[slot] >> 32) == segment { removeSlot(slot, from: &shard) } else { slot += 1 }
                }
            }
        }
    }

    struct Statistics: Sendable {
        var bytes: Int
        var entries: Int
        var hits: Int
        var misses: Int
    }

    var statistics: Statistics {
        var total = Statistics(bytes: 0, entries: 0, hits: 0, misses: 0)
        for box in shards {
            box.state.withLock { s in
                total.bytes += s.bytes
                total.entries += s.entries.count
                total.hits += s.hits
                total.misses += s.misses
            }
        }
        return total
    }

    private func evictOne(_ shard: inout Shard) {
        while true {
            if shard.hand >= shard.entries.count { shard.hand = 0 }
            if shard.entries[shard.hand].referenced {
                shard.entries[shard.hand].referenced = false
                shard.hand += 1
            } else {
                removeSlot(shard.hand, from: &shard)
                return
            }
        }
    }

    private func removeSlot(_ slot: Int, from shard: inout Shard) {
        let key = shard.keys[slot]
        shard.bytes -= shard.entries[slot].size
        shard.index[key] = nil
        let last = shard.entries.count - 1
        if slot != last {
            shard.entries[slot] = shard.entries[last]
            shard.keys[slot] = shard.keys[last]
            shard.index[shard.keys[slot]] = slot
        }
        shard.entries.removeLast()
        shard.keys.removeLast()
    }
}
