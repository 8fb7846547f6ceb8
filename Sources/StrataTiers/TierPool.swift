#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import StrataEngine
import StrataGraph
import Synchronization

/// The non-active tiers' open stores: opened on first use (read-only unless a write needs
/// them), at most ``TieredMemoryStore/Configuration/maxOpenTiers`` at once (the least recently
/// used one with no read in progress closes first), closed when idle.
final class TierPool: Sendable {
    private struct Entry {
        var store: MemoryStore
        var writable: Bool
        var lastUse: UInt64
        var lastUsedAt: Date
        var leases: Int
    }

    private struct State {
        var entries: [Tier: Entry] = [:]
        var tick: UInt64 = 0
        var opens = 0
        var closes = 0
        var closed = false
    }

    private let state = Mutex(State())
    private let root: String
    private let configuration: TieredMemoryStore.Configuration

    init(root: String, configuration: TieredMemoryStore.Configuration) {
        self.root = root
        self.configuration = configuration
    }

    /// How many tier opens and closes the pool has made, and which tiers are open now.
    var counters: (opens: Int, closes: Int, open: [Tier]) {
        state.withLock { ($0.opens, $0.closes, $0.entries.keys.sorted()) }
    }

    /// Runs `body` with the store of `tier` (not `active`), opening it if needed (creating it
    /// if `writable`). The store is not closed while `body` runs.
    func withStore<T>(_ tier: Tier, writable: Bool, _ body: (MemoryStore) throws -> T) throws -> T {
        let store = try lease(tier, writable: writable)
        defer { release(tier) }
        return try body(store)
    }

    private func lease(_ tier: Tier, writable: Bool) throws -> MemoryStore {
        try state.withLock { state in
            guard !state.closed else { throw StrataError(.closed, "the tiered store in \(root) is closed") }
            state.tick += 1
            if var entry = state.entries[tier] {
                if writable && !entry.writable {
                    guard entry.leases == 0 else {
                        throw StrataError(.conflict, "tier \(tier) is open read-only for a read in progress; retry the write")
                    }
                    try entry.store.close()
                    state.entries[tier] = nil
                    state.closes += 1
                } else {
                    entry.lastUse = state.tick
                    entry.lastUsedAt = configuration.clock()
                    entry.leases += 1
                    state.entries[tier] = entry
                    return entry.store
                }
            }
            // Opening holds the pool's lock: opens are rare (first use) and serialise here.
            try makeRoom(&state)
            let store = try open(tier, writable: writable)
            state.opens += 1
            state.entries[tier] = Entry(
                store: store, writable: writable, lastUse: state.tick, lastUsedAt: configuration.clock(), leases: 1)
            return store
        }
    }

    private func release(_ tier: Tier) {
        state.withLock { state in
            state.entries[tier]?.leases -= 1
        }
    }

    /// Closes least recently used idle stores until one more fits under the bound.
    private func makeRoom(_ state: inout State) throws {
        while state.entries.count >= configuration.maxOpenTiers {
            guard let victim = state.entries.filter({ $0.value.leases == 0 }).min(by: { $0.value.lastUse < $1.value.lastUse }) else {
                return  // every open tier is in use: exceed the bound for now rather than wait
            }
            state.entries[victim.key] = nil
            state.closes += 1
            try victim.value.store.close()
        }
    }

    private func open(_ tier: Tier, writable: Bool) throws -> MemoryStore {
        let path = root + "/" + tier.path
        var memory = configuration.memory
        memory.clock = configuration.clock
        if writable {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        } else {
            memory.engine.readOnly = true
        }
        return try MemoryStore.open(at: path, configuration: memory)
    }

    /// Closes the stores unused for ``TieredMemoryStore/Configuration/idleClose`` (none in use);
    /// returns how many closed.
    @discardableResult
    func closeIdle() throws -> Int {
        let now = configuration.clock()
        return try state.withLock { state in
            let idle = state.entries.filter { $0.value.leases == 0 && now.timeIntervalSince($0.value.lastUsedAt) >= configuration.idleClose }
            for (tier, entry) in idle {
                state.entries[tier] = nil
                state.closes += 1
                try entry.store.close()
            }
            return idle.count
        }
    }

    /// Closes every store; later uses throw `closed`.
    func closeAll() throws {
        try state.withLock { state in
            state.closed = true
            let entries = state.entries
            state.entries = [:]
            for entry in entries.values { try entry.store.close() }
        }
    }
}
