import Foundation
import StrataTestSupport
import Testing

@testable import StrataEngine

/// Per-tree value settings: the large-value threshold and compression are chosen at creation,
/// change how the tree's pages are stored, and are persisted (catalog and WAL).
@Suite struct TreeSettingsTests {
    static let vectorSettings = TreeSettings(largeValueThreshold: 64, compression: false)

    /// 1.5 KiB of a repeating pattern: LZ4 would halve a page of these.
    static func compressibleValue(_ i: Int) -> [UInt8] {
        (0..<1536).map { UInt8(truncatingIfNeeded: ($0 % 16) &+ i % 3) }
    }

    @Test func valuesAboveATreesThresholdAreStoredOutOfLine() throws {
        let fs = MemoryFileSystem()
        let db = try Database.open(at: "/db", configuration: Database.Configuration(fileSystem: fs))
        // The configuration's threshold is 1024: 200-byte values stay inline in a default tree,
        // and a tree with a 4096 threshold keeps 2000-byte values inline that a default tree moves.
        let small = try db.tree("small", settings: TreeSettings(largeValueThreshold: 64))
        let wide = try db.tree("wide", settings: TreeSettings(largeValueThreshold: 4096))
        let plain = try db.tree("plain")
        try db.write { tx in
            for i in 0..<50 {
                let key = Array("k\(i)".utf8)
                try tx.insert([UInt8](repeating: 1, count: 200), forKey: key, in: small)
                try tx.insert([UInt8](repeating: 2, count: 2000), forKey: key, in: wide)
                try tx.insert([UInt8](repeating: 3, count: 2000), forKey: key, in: plain)
            }
        }
        try db.checkpoint()
        let smallPages = try StoredPageProbe(small)
        let widePages = try StoredPageProbe(wide)
        let plainPages = try StoredPageProbe(plain)
        #expect(smallPages.externalValues == 50 && smallPages.inlineValues == 0)
        #expect(smallPages.blobPages == 50)
        #expect(widePages.externalValues == 0 && widePages.inlineValues == 50)
        #expect(plainPages.externalValues == 50)
        #expect(try small.get(Array("k7".utf8)) == [UInt8](repeating: 1, count: 200))
        #expect(try wide.get(Array("k7".utf8)) == [UInt8](repeating: 2, count: 2000))
        try db.close()
    }

    @Test func compressionOffStoresTheTreesPagesUncompressed() throws {
        let fs = MemoryFileSystem()
        let db = try Database.open(at: "/db", configuration: Database.Configuration(fileSystem: fs))
        let vectors = try db.tree("vectors", settings: TreeSettings(compression: false))
        let plain = try db.tree("plain")
        try db.write { tx in
            for i in 0..<200 {
                let key = Array("key-\(i)".utf8)
                try tx.insert(Self.compressibleValue(i), forKey: key, in: vectors)
                try tx.insert(Self.compressibleValue(i), forKey: key, in: plain)
            }
        }
        try db.checkpoint()
        let vectorPages = try StoredPageProbe(vectors)
        let plainPages = try StoredPageProbe(plain)
        #expect(vectorPages.headers.count > 100)
        #expect(vectorPages.compressedPages == 0)
        // The same data in a tree that follows the configuration (compression on) is compressed.
        #expect(plainPages.compressedPages > 100)
        #expect(try vectors.get(Array("key-9".utf8)) == Self.compressibleValue(9))
        try db.close()
    }

    @Test func settingsSurviveReopenAfterACheckpoint() throws {
        let fs = MemoryFileSystem()
        let configuration = Database.Configuration(fileSystem: fs)
        var db = try Database.open(at: "/db", configuration: configuration)
        _ = try db.tree("vectors", settings: Self.vectorSettings)
        _ = try db.tree("plain")
        try db.close()
        db = try Database.open(at: "/db", configuration: configuration)
        #expect(try db.treeState(named: "vectors")?.settings == Self.vectorSettings)
        #expect(try db.treeState(named: "plain")?.settings == .default)
        // Values written after the reopen follow the persisted settings.
        let vectors = try db.tree("vectors")
        try vectors.insert(Self.compressibleValue(1), forKey: [1])
        try db.checkpoint()
        let pages = try StoredPageProbe(vectors)
        #expect(pages.externalValues == 1 && pages.compressedPages == 0)
        // Asking for other settings than the stored ones is refused; the default is accepted.
        expectStrataError(.invalidArgument) { try db.tree("vectors", settings: TreeSettings(compression: true)) }
        #expect(try db.tree("vectors", settings: Self.vectorSettings).isWritable)
        try db.close()
    }

    @Test func settingsSurviveACrashBeforeAnyCheckpoint() throws {
        let fs = CrashSimulatingFileSystem()
        var configuration = Database.Configuration(fileSystem: fs)
        configuration.flushInterval = nil
        configuration.checkpointInterval = nil
        let db = try Database.open(at: "/db", configuration: configuration)
        let vectors = try db.ownedTree("vectors", owner: TreeOwner("hnsw"), settings: Self.vectorSettings)
        try db.write(durability: .synced) { tx in
            for i in 0..<20 { try tx.insert(Self.compressibleValue(i), forKey: [UInt8(i)], in: vectors) }
        }
        var rng = SeededRandom(seed: 9)
        let image = fs.crashImage(using: &rng, mode: .dropUnsynced)
        try db.close()

        var reopened = Database.Configuration(fileSystem: image)
        reopened.flushInterval = nil
        let recovered = try Database.open(at: "/db", configuration: reopened)
        let state = try #require(try recovered.treeState(named: "vectors"))
        #expect(state.settings == Self.vectorSettings)
        #expect(state.owner == "hnsw")
        #expect(state.count == 20)
        // The replayed values are stored by the tree's settings at the first checkpoint.
        try recovered.checkpoint()
        let pages = try StoredPageProbe(try #require(try recovered.existingTree("vectors")))
        #expect(pages.externalValues == 20 && pages.compressedPages == 0)
        try recovered.close()
        let again = try Database.open(at: "/db", configuration: reopened)
        #expect(try again.treeState(named: "vectors")?.settings == Self.vectorSettings)
        #expect(try again.treeState(named: "vectors")?.owner == "hnsw")
        try again.close()
    }

    @Test(arguments: [0, 63, 4097, Int.max])
    func aThresholdOutOfRangeIsRefusedAndCreatesNothing(threshold: Int) throws {
        let fs = MemoryFileSystem()
        let db = try Database.open(at: "/db", configuration: Database.Configuration(fileSystem: fs))
        let before = try db.statistics().sequence
        expectStrataError(.invalidArgument) { try db.tree("t", settings: TreeSettings(largeValueThreshold: threshold)) }
        expectStrataError(.invalidArgument) {
            try db.ownedTree("t", owner: TreeOwner("layer"), settings: TreeSettings(largeValueThreshold: threshold))
        }
        expectStrataError(.invalidArgument) {
            try db.write { tx in try tx.ownedTree("t", owner: TreeOwner("layer"), settings: TreeSettings(largeValueThreshold: threshold)) }
        }
        #expect(try db.treeNames().isEmpty)
        #expect(try db.statistics().sequence == before)
        // The bounds themselves are accepted (pageSize 8192: 64 ... 4096).
        _ = try db.tree("low", settings: TreeSettings(largeValueThreshold: 64))
        _ = try db.tree("high", settings: TreeSettings(largeValueThreshold: 4096))
        try db.close()
    }

    @Test func aFormatOneCatalogStillDecodes() throws {
        // A catalog as format 1 wrote it (before per-tree settings): next tree id 3, tree 1
        // "nodes" (20 keys, root at segment 1 offset 0, 100 bytes, checksum 0x1122334455667788),
        // tree 2 "e" (empty), one segment (id 1, 4096 bytes, 100 live).
        let golden: [UInt8] = [
            3, 0, 0, 0, 2, 0, 0, 0,
            1, 0, 0, 0, 20, 0, 0, 0, 0, 0, 0, 0, 1,
            1, 0, 0, 0, 0, 0, 0, 0, 100, 0, 0, 0, 0x88, 0x77, 0x66, 0x55, 0x44, 0x33, 0x22, 0x11,
            5, 0, 0x6E, 0x6F, 0x64, 0x65, 0x73,
            2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0x65,
            1, 0, 0, 0, 1, 0, 0, 0, 0x00, 0x10, 0, 0, 0, 0, 0, 0, 100, 0, 0, 0, 0, 0, 0, 0,
        ]
        let root = PageAddress(segment: 1, offset: 0, length: 100, checksum: 0x1122_3344_5566_7788)
        let expected = Catalog(
            nextTreeID: 3,
            trees: [TreeRecord(id: 1, name: "nodes", count: 20, root: root), TreeRecord(id: 2, name: "e", count: 0, root: nil)],
            segments: [SegmentInfo(id: 1, length: 4096, liveBytes: 100)])
        #expect(try Catalog.decode(golden, formatVersion: 1) == expected)
        #expect(expected.encode(formatVersion: 1) == golden)
        // The same catalog in format 2 carries each tree's settings and owner.
        var owned = expected
        owned.trees[0].settings = Self.vectorSettings
        owned.trees[0].owner = "strata.graph"
        let encoded = owned.encode()
        #expect(encoded.count == golden.count + 2 * 6 + "strata.graph".utf8.count)
        #expect(try Catalog.decode(encoded) == owned)
        // A format-1 catalog is not a format-2 one (no settings follow each name).
        #expect(throws: (any Error).self) { try Catalog.decode(golden, formatVersion: 2) }
    }
}

/// A database written in format 1 (the checked-in `fuzz-open` seed, made before per-tree
/// settings) opens, its trees default and unowned, and is written in format 2 from its next
/// checkpoint on.
@Suite struct FormatOneDatabaseTests {
    @Test func aFormatOneDatabaseOpensAndIsUpgradedByItsNextCheckpoint() throws {
        let seed = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Fuzz/corpus/open/checkpointed")
        let fs = MemoryFileSystem()
        try PackedDatabaseImage(unpacking: [UInt8](try Data(contentsOf: seed))).write(to: "/db", in: fs)
        let superblock = try fs.openFile("/db/SUPERBLOCK", create: false)
        #expect(try Database.readSuperblock(superblock).formatVersion == 1)

        var configuration = Database.Configuration(fileSystem: fs)
        configuration.flushInterval = nil
        var db = try Database.open(at: "/db", configuration: configuration)
        #expect(try db.treeNames() == ["edges", "nodes"])
        #expect(try db.treeState(named: "nodes")?.settings == .default)
        #expect(try db.treeState(named: "nodes")?.owner == nil)
        #expect(try db.tree("nodes").count == 39)
        try db.tree("nodes").insert([1], forKey: [0xFF])
        try db.close()
        #expect(try Database.readSuperblock(superblock).formatVersion == 2)
        db = try Database.open(at: "/db", configuration: configuration)
        #expect(try db.tree("nodes").count == 40)
        try db.close()
    }
}
