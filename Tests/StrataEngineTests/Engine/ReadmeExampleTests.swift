import StrataEngine
import StrataTestSupport
import Testing

/// The README's Swift example, verbatim but for the directory: it must compile and run.
@Suite struct ReadmeExampleTests {
    @Test func theReadmeExampleRuns() throws {
        let directory = try TemporaryDirectory()
        let db = try Database.open(at: directory.path)
        let nodes = try db.tree("nodes")
        let edges = try db.tree("edges")

        // One atomic batch across trees: all or nothing, in memory and after a crash.
        let message = Array("msg/c000042/1767225600000/m00000017".utf8)
        try db.write(durability: .synced) { tx in
            try tx.insert(Array(#"{"role":"user","text":"hello"}"#.utf8), forKey: message, in: nodes)
            try tx.insert(Array("0.93".utf8), forKey: Array("out/".utf8) + message + Array("/mentions/entity/person/ada".utf8), in: edges)
        }

        // A point read, and one conversation's messages in time order (keys sort bytewise).
        let value = try nodes.get(message)
        var cursor = try nodes.scan(prefix: Array("msg/c000042/".utf8))
        while let entry = try cursor.next() {
            print(String(decoding: entry.key, as: UTF8.self), entry.value.count)
        }

        // Zero-copy reads: the value and each scanned entry are lent in place.
        let length = try nodes.withValue(forKey: message) { $0?.count ?? 0 }
        var scan = try edges.scan(prefix: Array("out/".utf8))
        try scan.forEachBorrowed { key, value in key.count + value.count > 0 }

        // A consistent view of every tree at one commit, while writers go on.
        let snapshot = try db.snapshot()
        print(try snapshot[nodes].count, value?.count ?? 0, length)

        // One reading vocabulary (ReadableTree): the same code reads the latest commit, a snapshot,
        // or a transaction's view of a tree, which includes the transaction's own writes.
        func mentions(in edges: some ReadableTree) throws -> Int {
            try edges.count(prefix: Array("out/".utf8))
        }
        print(try mentions(in: edges), try mentions(in: snapshot[edges]))
        try db.write { tx in
            try tx[edges].insert(Array("0.5".utf8), forKey: Array("out/msg/c000042/x".utf8))
            print(try mentions(in: tx[edges]))   // 2: sees the insert above
        }

        try db.flush()   // make every commit so far durable
        try db.close()   // checkpoints, releases the directory lock
        let reopened = try Database.open(at: directory.path)
        #expect(try reopened.existingTree("nodes")?.count == 1)
        try reopened.close()
    }
}
