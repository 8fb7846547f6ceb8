import Foundation
import StrataEngine
import StrataGraph
import StrataTiers

/// The benchmark's stores: the tiered one (archives of ``TiersDataset/archiveQuarters(_:)``
/// plus the active conversations) and a single ``MemoryStore`` holding only the active ones.
struct TiersBuild {
    let directory: String
    let archived: Int
    let active: Int
    let quarters: [Tier]
    var dataset: TiersDataset

    /// What the build left for the measurements.
    struct Built {
        /// Every active message id (the same in both stores).
        var activeMessages: [NodeID] = []
        /// Up to 200 message ids of each archive tier.
        var archiveSamples: [Tier: [NodeID]] = [:]
        /// Records (messages and conversations) moved into archives, and the batches that carried them.
        var moved = 0
        var batches = 0
        /// Seconds (wall, process CPU) of the archive part (inserts + moves) and of the active part.
        var archiveWall = 0.0, archiveCPU = 0.0, activeWall = 0.0, activeCPU = 0.0
    }

    var tieredPath: String { directory + "/tiered" }
    var singlePath: String { directory + "/single" }

    static func tieredConfiguration(quarters: Int) -> TieredMemoryStore.Configuration {
        var configuration = TieredMemoryStore.Configuration(maxOpenTiers: quarters + 2, clock: { TiersDataset.now })
        configuration.memory.clock = { TiersDataset.now }
        return configuration
    }

    static func singleConfiguration() -> MemoryStore.Configuration {
        MemoryStore.Configuration(clock: { TiersDataset.now })
    }

    /// Builds both stores (closed at the end, so the measurements start from a fresh open).
    mutating func run() throws -> Built {
        let tiered = try TieredMemoryStore.open(at: tieredPath, configuration: Self.tieredConfiguration(quarters: quarters.count))
        let single = try MemoryStore.open(at: singlePath, configuration: Self.singleConfiguration())
        try tiered.active.define(dataset.space)
        try single.define(dataset.space)
        var built = Built()
        let archive = try measure { try buildArchives(tiered, &built) }
        built.archiveWall = archive.wall
        built.archiveCPU = archive.cpu
        let activePart = try measure { try buildActive(tiered, single, &built) }
        built.activeWall = activePart.wall
        built.activeCPU = activePart.cpu
        try tiered.close()
        try single.close()
        return built
    }

    /// Per quarter: conversations inserted into active with created times in the quarter, then
    /// moved to the quarter's archive with ``TieredMemoryStore/move(_:to:)``, five conversations
    /// (255 records) a batch. (Not `migrate()`: its planning rescans every due record per batch.)
    private mutating func buildArchives(_ tiered: TieredMemoryStore, _ built: inout Built) throws {
        let perQuarter = archived / quarters.count
        let chunk = 20  // conversations per insert transaction
        for tier in quarters {
            var remaining = perQuarter
            var samples: [NodeID] = []
            while remaining > 0 {
                var roots: [NodeID] = []
                try tiered.active.write { graph in
                    for _ in 0..<chunk where remaining > 0 {
                        let size = min(TiersDataset.messagesPerConversation, remaining)
                        let (nodes, vectors) = dataset.conversation(messages: size, in: tier.quarterRange!)
                        try graph.insert(contentsOf: nodes)
                        try graph.setVectors(vectors, in: dataset.space.name)
                        roots.append(nodes[0].id)
                        built.moved += nodes.count
                        if samples.count < 200 { samples.append(nodes[1 + Int(dataset.unit() * Double(size))].id) }
                        remaining -= size
                    }
                }
                for start in stride(from: 0, to: roots.count, by: 5) {
                    let group = Array(roots[start..<min(start + 5, roots.count)])
                    guard try tiered.move(group, to: tier) else { throw BenchFailure("a build move was undone") }
                    built.batches += 1
                }
            }
            built.archiveSamples[tier] = samples
            note("built \(tier): \(perQuarter) messages")
        }
    }

    /// The active conversations, each inserted the same way into the tiered store's active tier
    /// and into the single store.
    private mutating func buildActive(_ tiered: TieredMemoryStore, _ single: MemoryStore, _ built: inout Built) throws {
        var remaining = active
        let window = TiersDataset.now.addingTimeInterval(-29 * 86_400)..<TiersDataset.now
        while remaining > 0 {
            var batch: [(nodes: [Node], vectors: [(NodeID, [Float])])] = []
            for _ in 0..<20 where remaining > 0 {
                let size = min(TiersDataset.messagesPerConversation, remaining)
                batch.append(dataset.conversation(messages: size, in: window))
                remaining -= size
            }
            for store in [tiered.active, single] {
                try store.write { graph in
                    for (nodes, vectors) in batch {
                        try graph.insert(contentsOf: nodes)
                        try graph.setVectors(vectors, in: dataset.space.name)
                    }
                }
            }
            for (nodes, _) in batch { built.activeMessages += nodes.dropFirst().map(\.id) }
        }
        note("built active: \(active) messages")
    }
}

/// A wrong answer or a broken expectation: the run exits 1.
struct BenchFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
