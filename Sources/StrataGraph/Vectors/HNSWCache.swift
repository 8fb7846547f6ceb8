import Synchronization

/// The bytes every graph's cache holds together, against the store's budget.
final class VectorCacheUsage: Sendable {
    let budget: Int
    let bytes = Atomic<Int>(0)

    init(budget: Int) { self.budget = budget }
}

/// The search cache of one graph: decoded nodes by slot, each tagged with the commit it was read
/// at, and per slot the commit that last changed it (its stamp).
///
/// Coherence (ARCHITECTURE.md, "Vector index: cache coherence"): a writer marks the slots it
/// changes *pending* before its commit is published, and stamps them with the commit's sequence
/// after (``Transaction/afterCommit(_:)``, under the writer lock), publishing their new states.
/// An entry read at `r` serves a reader on snapshot `s` only if the slot's stamp `t` is not
/// pending, `r ≥ t` and `s ≥ t`: no commit changed the slot between `t` and now, so the entry is
/// what `s` holds. Anything else is read from the reader's own snapshot. A slot pending after a
/// failed commit stays pending until a later commit stamps it (reads go to the snapshot).
final class HNSWGraphCache: Sendable {
    static let pending = UInt64.max

    struct Entry {
        var state: HNSWNodeState
        var readAt: UInt64
    }

    struct State {
        var stamps: [UInt64] = []
        var entries: [Entry?] = []
        /// Slots in the order their entries were stored (the eviction order).
        var order: [UInt32] = []
        var orderStart = 0
        var bytes = 0
        /// Slots marked pending whose commit never happened (stamped by the next commit).
        var orphaned: Set<UInt32> = []

        func stamp(_ slot: UInt32) -> UInt64 { Int(slot) < stamps.count ? stamps[Int(slot)] : 0 }

        /// The cached state of `slot` if it is what a reader on `sequence` sees (`.max`: the latest).
        func entry(_ slot: UInt32, at sequence: UInt64) -> HNSWNodeState? {
            let index = Int(slot)
            guard index < entries.count, let entry = entries[index] else { return nil }
            let stamp = index < stamps.count ? stamps[index] : 0
            guard stamp != HNSWGraphCache.pending, entry.readAt >= stamp, sequence >= stamp else { return nil }
            return entry.state
        }
    }

    let state = Mutex(State())
    let usage: VectorCacheUsage

    init(usage: VectorCacheUsage) { self.usage = usage }

    /// Stores `node` as read at `readAt`, unless the slot changed since or a newer entry is there.
    static func store(_ slot: UInt32, _ node: HNSWNodeState, readAt: UInt64, in state: inout State, usage: VectorCacheUsage) {
        let stamp = state.stamp(slot)
        guard stamp != pending, readAt >= stamp else { return }
        let index = Int(slot)
        if index >= state.entries.count {
            state.entries.append(contentsOf: repeatElement(nil, count: index + 1 - state.entries.count))
        }
        if let existing = state.entries[index] {
            guard existing.readAt < readAt else { return }
            remove(index, from: &state, usage: usage)
        }
        let cost = node.cost
        while usage.bytes.load(ordering: .relaxed) + cost > usage.budget, state.orderStart < state.order.count {
            let victim = Int(state.order[state.orderStart])
            state.orderStart += 1
            remove(victim, from: &state, usage: usage)
        }
        if state.orderStart > 4096, state.orderStart * 2 > state.order.count {
            state.order.removeFirst(state.orderStart)
            state.orderStart = 0
        }
        guard usage.bytes.load(ordering: .relaxed) + cost <= usage.budget else { return }
        state.entries[index] = Entry(state: node, readAt: readAt)
        state.order.append(slot)
        state.bytes += cost
        usage.bytes.add(cost, ordering: .relaxed)
    }

    private static func remove(_ index: Int, from state: inout State, usage: VectorCacheUsage) {
        guard index < state.entries.count, let entry = state.entries[index] else { return }
        let cost = entry.state.cost
        state.entries[index] = nil
        state.bytes -= cost
        usage.bytes.subtract(cost, ordering: .relaxed)
    }

    /// Marks `slots` as changing in a commit about to be made (before it is published).
    func markPending(_ slots: some Sequence<UInt32>) {
        state.withLock { state in
            for slot in slots {
                let index = Int(slot)
                if index >= state.stamps.count {
                    state.stamps.append(contentsOf: repeatElement(0, count: index + 1 - state.stamps.count))
                }
                state.stamps[index] = Self.pending
                Self.remove(index, from: &state, usage: usage)
                state.orphaned.insert(slot)
            }
        }
    }

    /// After the commit `sequence`: stamps the changed slots (and any left pending by a failed
    /// commit), then publishes `states` (the changed and read nodes, as of `sequence`).
    func commit(_ sequence: UInt64, states: [UInt32: HNSWNodeState]) {
        state.withLock { state in
            for slot in state.orphaned { state.stamps[Int(slot)] = sequence }
            state.orphaned.removeAll()
            for (slot, node) in states {
                Self.store(slot, node, readAt: sequence, in: &state, usage: usage)
            }
        }
    }

    /// The bytes the cache holds for this graph.
    var bytes: Int { state.withLock { $0.bytes } }
}
