#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import StrataEngine
import StrataGraph
@testable import StrataTiers
import Testing

/// Simulated months with an injected clock: conversations (with messages and vectors) inserted
/// into active, bounded migrations, reads that promote, restarts, checked against a reference
/// of every record's creation, access count and last access, and (after a full migration) the
/// tier each unit must be in.
@Suite("Tier lifecycle model")
struct LifecycleModelTests {
    struct Unit {
        var root: NodeID
        var messages: [NodeID]
        var createdAt: [NodeID: Date]
        var accesses: [NodeID: (count: Int, last: Date)] = [:]
        var newest: Date { createdAt.values.max()! }
        var touched: Date { max(newest, accesses.values.map(\.last).max() ?? newest) }
    }

    @Test("Moves, promotions and restarts agree with the reference", arguments: [3, 4] as [UInt64])
    func lifecycle(seed: UInt64) throws {
        #expect(try run(seed: seed, strategy: nil) == 0)
    }

    @Test("Over its capacity, active demotes the coldest units first by each strategy", arguments: EvictionStrategy.allCases)
    func eviction(strategy: EvictionStrategy) throws {
        #expect(try run(seed: 5, strategy: strategy) > 0)
    }

    /// The model run; with a strategy, active is bounded to 8 records. Returns how many units
    /// the bound demoted.
    private func run(seed: UInt64, strategy: EvictionStrategy?) throws -> Int {
        let root = temporaryRoot()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let clock = TestClock()
        var configuration = TieredMemoryStore.Configuration(maxOpenTiers: 2, clock: { clock.date })
        configuration.moveBatchSize = 4
        configuration.promoteAfterAccesses = 2
        configuration.promoteWithin = 20 * 86_400
        if let strategy {
            configuration.evictionStrategy = strategy
            configuration.activeCapacity = 8
        }
        var evicted = 0
        var store = try TieredMemoryStore.open(at: root, configuration: configuration)
        try store.active.define(EmbeddingSpace(name: "e", model: "t", dimension: 2, metric: .l2))
        var random = TieredModelTests.Generator(state: seed)
        var units: [Unit] = []
        var tierOfUnit: [NodeID: Tier] = [:]
        var promotions = 0
        for round in 0..<14 {
            clock.advance(days: Double(5 + random.next(20)))
            let now = clock.date
            for _ in 0..<(1 + random.next(3)) {
                let start = now.addingTimeInterval(-Double(random.next(200)) * 86_400)
                let chat = conversation("r\(round)", at: start)
                var unit = Unit(root: chat.id, messages: [], createdAt: [chat.id: start])
                try store.active.write { graph in
                    try graph.insert(chat)
                    for index in 0..<(1 + random.next(2)) {
                        let node = message(chat.id, "m\(index)", at: start.addingTimeInterval(Double(index + 1) * 3600))
                        try graph.insert(node)
                        try graph.setVector([Float(random.next(100)), Float(index)], for: node.id, in: "e")
                        unit.messages.append(node.id)
                        unit.createdAt[node.id] = node.createdAt
                    }
                }
                units.append(unit)
                tierOfUnit[unit.root] = .active
            }
            // Reads: each bumps the access stats; a second read within promoteWithin of the
            // previous one, outside active, promotes the unit.
            for _ in 0..<4 {
                // Half the reads go back to a record read before (so some reach the threshold).
                let read = units.indices.filter { !units[$0].accesses.isEmpty }
                let u = !read.isEmpty && random.next(2) == 0 ? read[random.next(read.count)] : random.next(units.count)
                let ids = units[u].accesses.isEmpty ? [units[u].root] + units[u].messages : Array(units[u].accesses.keys).sorted()
                let id = ids[random.next(ids.count)]
                let previous = units[u].accesses[id]
                let tier = try store.recordAccess(id)
                units[u].accesses[id] = ((previous?.count ?? 0) + 1, now)
                let promotes = tierOfUnit[units[u].root] != .active && previous != nil
                    && previous!.count + 1 >= 2 && now.timeIntervalSince(previous!.last) <= configuration.promoteWithin
                if promotes {
                    tierOfUnit[units[u].root] = .active
                    promotions += 1
                }
                #expect(tier == tierOfUnit[units[u].root], "round \(round)")
            }
            if random.next(3) == 0 {
                try store.migrate(maxBatches: 1 + random.next(2))
                try checkReads(store, units)
            }
            try store.migrate()
            for unit in units {
                var expected = configuration.tier(forCreatedAt: unit.touched, now: now)
                if case .archive = expected { expected = .archive(holding: unit.newest) }
                // A unit never moves up by age, only by promotion.
                let current = tierOfUnit[unit.root]!
                if expected == .active || (current != .active && expected == .recent && current != .recent) { expected = current }
                tierOfUnit[unit.root] = expected
            }
            // Over capacity: the coldest active units by the strategy go to recent (ties by root id).
            if let strategy, let capacity = configuration.activeCapacity {
                func key(_ unit: Unit) -> (Double, Double) {
                    let used = unit.touched.timeIntervalSince1970
                    return switch strategy {
                    case .age: (unit.newest.timeIntervalSince1970, 0)
                    case .leastRecentlyUsed: (used, 0)
                    case .leastFrequentlyUsed: (Double(unit.accesses.values.reduce(0) { $0 + $1.count }), used)
                    }
                }
                let inActive = units.filter { tierOfUnit[$0.root] == .active }
                    .sorted { (key($0).0, key($0).1, $0.root) < (key($1).0, key($1).1, $1.root) }
                var held = inActive.reduce(0) { $0 + $1.createdAt.count }
                for unit in inActive where held > capacity {
                    tierOfUnit[unit.root] = .recent
                    held -= unit.createdAt.count
                    evicted += 1
                }
                #expect(try store.tiers().first?.count ?? 0 <= capacity)
            }
            for unit in units {
                let expected = tierOfUnit[unit.root]!
                #expect(try store.tier(of: unit.root) == expected, "round \(round) \(unit.root)")
                for id in unit.messages { #expect(try store.tier(of: id) == expected) }
            }
            try checkReads(store, units)
            if random.next(2) == 0 {
                try store.close()
                store = try TieredMemoryStore.open(at: root, configuration: configuration)
                #expect(store.recoveredMoves == 0)
            }
        }
        #expect(Set(tierOfUnit.values).count >= 3)
        #expect(promotions > 0)
        try store.close()
        return evicted
    }

    /// Every record once, in time order, with its access stats; every window; vector hits unique.
    private func checkReads(_ store: TieredMemoryStore, _ units: [Unit]) throws {
        let all = units.flatMap { unit in unit.createdAt.map { (id: $0.key, createdAt: $0.value) } }
            .sorted { ($0.createdAt, $0.id) < ($1.createdAt, $1.id) }.map(\.id)
        #expect(try store.nodes(in: "u").map(\.id) == all)
        for unit in units {
            #expect(try store.messages(in: unit.root)?.map(\.id) == unit.messages)
            for (id, access) in unit.accesses {
                let tier = try store.tier(of: id)
                let stats = try store.withTier(tier) { try $0.reader().accessStats(of: id) } ?? nil
                #expect(stats?.count == UInt64(access.count))
            }
        }
        let hits = try store.nearest(to: [50, 0], k: 10, in: "e", namespace: "u").hits.map(\.id)
        #expect(Set(hits).count == hits.count && hits.count == min(10, all.count - units.count))
        #expect(try store.pendingMoves() == 0)
    }
}
