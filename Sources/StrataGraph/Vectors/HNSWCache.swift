import Synchronization

/// The bytes every graph's cache holds together, against the store's budget.
final class VectorCacheUsage: Sendable {
    let budget: Int
    let bytes = Atomic<Int>(0)

    init(budget: Int) { self.budget = budget }
}

/// The search cache of one graph: decoded nodes by slot in flat rows (``HNSWCacheRows``), each
/// tagged with the commit it was read at, and per slot the commit that last changed it (its stamp).
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

    struct State {
        var stamps: [UInt64] = []
        /// Per slot, its row in `rows` (−1: not cached).
        var rowOf: [Int32] = []
        var rows = HNSWCacheRows()
        /// Slots in the order their entries were stored (the eviction order).
        var order: [UInt32] = []
        var orderStart = 0
        var bytes = 0
        /// Slots marked pending whose commit never happened (stamped by the next commit).
        var orphaned: Set<UInt32> = []

        func stamp(_ slot: UInt32) -> UInt64 { Int(slot) < stamps.count ? stamps[Int(slot)] : 0 }

        /// The row of `slot` if it holds what a reader on `sequence` sees (`.max`: the latest).
        @inline(__always)
        func row(_ slot: UInt32, at sequence: UInt64) -> Int32? {
            let index = Int(slot)
            guard index < rowOf.count else { return nil }
            let row = rowOf[index]
            guard row >= 0 else { return nil }
            let stamp = index < stamps.count ? stamps[index] : 0
            guard stamp != HNSWGraphCache.pending, rows.readAt[Int(row)] >= stamp, sequence >= stamp else { return nil }
            return row
        }

        /// The cached state of `slot` if it is what a reader on `sequence` sees (`.max`: the latest).
        func entry(_ slot: UInt32, at sequence: UInt64) -> HNSWNodeState? {
            row(slot, at: sequence).map { rows.state($0) }
        }

        /// Slots below it may have a row.
        var slotCapacity: Int { rowOf.count }
    }

    let state = Mutex(State())
    let usage: VectorCacheUsage
    /// Search scratch (visited marks, heaps) handed from one search to the next.
    let scratch = Mutex<[HNSWSearchScratch]>([])

    init(usage: VectorCacheUsage) { self.usage = usage }

    /// Stores `node` as read at `readAt`, unless the slot changed since or a newer entry is there.
    static func store(_ slot: UInt32, _ node: HNSWNodeState, readAt: UInt64, in state: inout State, usage: VectorCacheUsage) {
        let stamp = state.stamp(slot)
        guard stamp != pending, readAt >= stamp, state.rows.fits(node) else { return }
        let index = Int(slot)
        if index >= state.rowOf.count {
            state.rowOf.append(contentsOf: repeatElement(-1, count: index + 1 - state.rowOf.count))
        }
        let existing = state.rowOf[index]
        if existing >= 0 {
            guard state.rows.readAt[Int(existing)] < readAt else { return }
            remove(index, from: &state, usage: usage)
        }
        let cost = state.rows.cost(of: node)
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
        state.rowOf[index] = state.rows.add(node, readAt: readAt, cost: cost)
        state.order.append(slot)
        state.bytes += cost
        usage.bytes.add(cost, ordering: .relaxed)
    }

    private static func remove(_ index: Int, from state: inout State, usage: VectorCacheUsage) {
        guard index < state.rowOf.count, state.rowOf[index] >= 0 else { return }
        let cost = state.rows.remove(state.rowOf[index])
        state.rowOf[index] = -1
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
    func commit(_ sequence: UInt64, states: [(slot: UInt32, state: HNSWNodeState)]) {
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
