#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import StrataEngine
import StrataGraph
@testable import StrataTiers
import Testing

/// Months of simulated inserts (each record placed in the tier its age puts it in, by an
/// injected clock), reads with every hint, and restarts, checked against a dictionary.
@Suite("Tiered store model")
struct TieredModelTests {
    struct Generator {
        var state: UInt64
        mutating func next(_ bound: Int) -> Int {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return Int((z ^ (z >> 31)) % UInt64(bound))
        }
    }

    @Test("Reads with every hint agree with the reference across restarts", arguments: [1, 2] as [UInt64])
    func model(seed: UInt64) throws {
        let root = temporaryRoot()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let clock = TestClock()
        let configuration = TieredMemoryStore.Configuration(maxOpenTiers: 2, clock: { clock.date })
        var store = try TieredMemoryStore.open(at: root, configuration: configuration)
        var random = Generator(state: seed)
        var reference: [NodeID: (createdAt: Date, tier: Tier)] = [:]
        for round in 0..<6 {
            for _ in 0..<25 {
                clock.advance(days: Double(random.next(4)))
                let createdAt = clock.date.addingTimeInterval(-Double(random.next(400 * 24)) * 3600)
                let node = conversation("c", at: createdAt)
                let tier = configuration.tier(forCreatedAt: createdAt, now: clock.date)
                try store.place([node], in: tier)
                reference[node.id] = (try #require(try store.node(node.id)).createdAt, tier)
            }
            if round % 2 == 1 {
                try store.close()
                store = try TieredMemoryStore.open(at: root, configuration: configuration)
            }
            try check(store, reference, &random)
        }
        try store.close()
    }

    private func check(_ store: TieredMemoryStore, _ reference: [NodeID: (createdAt: Date, tier: Tier)], _ random: inout Generator) throws {
        let ids = reference.keys.sorted()
        let tiers = Set(reference.values.map(\.tier))
        // Point reads with every hint.
        for _ in 0..<20 {
            let id = ids[random.next(ids.count)]
            let (createdAt, tier) = reference[id]!
            #expect(try store.tier(of: id) == tier)
            #expect(try store.node(id, hint: .any)?.id == id)
            #expect((try store.node(id, hint: .active) != nil) == (tier == .active))
            for other in tiers { #expect((try store.node(id, hint: .tier(other.name)) != nil) == (other == tier)) }
            let range = createdAt.addingTimeInterval(-86_400)..<createdAt.addingTimeInterval(Double(random.next(3) - 1) * 86_400 + 1)
            #expect((try store.node(id, hint: .timeRange(range)) != nil) == range.contains(createdAt))
        }
        // A miss opens nothing.
        let opens = try store.statistics().tierOpens
        #expect(try store.node(NodeID.generate(at: Date()), hint: .any) == nil)
        #expect(try store.statistics().tierOpens == opens)
        // Lists: the whole history, a window, and the active tier alone.
        let ordered = ids.sorted { (reference[$0]!.createdAt, $0) < (reference[$1]!.createdAt, $1) }
        #expect(try store.nodes(in: "u", kind: .conversation).map(\.id) == ordered)
        let start = reference[ordered[random.next(ordered.count)]]!.createdAt
        let window = start..<start.addingTimeInterval(Double(1 + random.next(60)) * 86_400)
        let inWindow = ordered.filter { window.contains(reference[$0]!.createdAt) }
        #expect(try store.nodes(in: "u", kind: .conversation, createdIn: window).map(\.id) == inWindow)
        #expect(try store.nodes(in: "u", kind: .conversation, createdIn: window, limit: 3, reverse: true).map(\.id)
            == Array(inWindow.reversed().prefix(3)))
        let hinted = try store.nodes(in: "u", kind: .conversation, hint: .timeRange(window)).map(\.id)
        #expect(Set(hinted).count == hinted.count && Set(inWindow).isSubset(of: Set(hinted)))
        #expect(try store.nodes(in: "u", kind: .conversation, hint: .active).map(\.id) == ordered.filter { reference[$0]!.tier == .active })
        #expect(try store.statistics().openTiers.count <= 2)
        #expect(try store.tiers().map(\.count).reduce(0, +) == reference.count)
    }
}
