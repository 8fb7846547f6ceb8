import StrataEngine

/// Small real databases, made by the engine on a ``MemoryFileSystem`` and packed as
/// ``PackedDatabaseImage``s: the seed corpus of `fuzz-open`.
public enum SeedDatabases {
    /// The packed seed databases, named.
    public static func make() -> [(name: String, bytes: [UInt8])] {
        var seeds: [(String, [UInt8])] = []
        func image(_ name: String, _ body: (Database) throws -> Void, closeCleanly: Bool = true) {
            let fileSystem = MemoryFileSystem()
            var configuration = Database.Configuration(fileSystem: fileSystem)
            configuration.flushInterval = nil
            configuration.checkpointInterval = nil
            configuration.pageSize = 1024
            configuration.largeValueThreshold = 128
            do {
                let database = try Database.open(at: "/db", configuration: configuration)
                try body(database)
                if closeCleanly { try database.close() } else { try database.flush() }
            } catch {
                fatalError("making seed \(name): \(error)")
            }
            guard let packed = PackedDatabaseImage(directory: "/db", in: fileSystem)?.packed() else {
                fatalError("seed \(name) has files the packed format cannot hold")
            }
            seeds.append((name, packed))
        }
        image("empty", { _ in })
        image("wal-only", { db in
            let tree = try db.tree("nodes")
            for i in 0..<8 { try tree.insert(Array("value-\(i)".utf8), forKey: Array("key-\(i)".utf8)) }
            _ = try tree.remove(Array("key-3".utf8))
        }, closeCleanly: false)
        image("checkpointed", { db in
            let nodes = try db.tree("nodes")
            let edges = try db.tree("edges")
            for i in 0..<40 { try nodes.insert([UInt8](repeating: UInt8(i), count: 24), forKey: Array("n\(i)".utf8)) }
            try edges.insert([UInt8](repeating: 7, count: 300), forKey: Array("big".utf8))
            try db.checkpoint()
            try edges.insert(Array("after".utf8), forKey: Array("e1".utf8))
            _ = try nodes.remove(Array("n5".utf8))
        }, closeCleanly: false)
        image("two-checkpoints", { db in
            let tree = try db.tree("t")
            for i in 0..<30 { try tree.insert(Array("v\(i)".utf8), forKey: Array("k\(i)".utf8)) }
            try db.checkpoint()
            try tree.clear()
            try tree.insert(Array("x".utf8), forKey: Array("only".utf8))
            _ = try db.tree("gone")
            _ = try db.dropTree("gone")
            try db.checkpoint()
            try tree.insert(Array("y".utf8), forKey: Array("tail".utf8))
        }, closeCleanly: false)
        image("closed", { db in
            let tree = try db.tree("t")
            for i in 0..<20 { try tree.insert([UInt8](repeating: 1, count: 50), forKey: Array("key\(i)".utf8)) }
        })
        return seeds
    }
}
