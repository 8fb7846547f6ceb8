import ArgumentParser
import Foundation
import StrataEngine
import StrataGraph

/// `strata graph`: commands for a StrataGraph memory store (the trees `graph.*`).
struct Graph: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check or count a StrataGraph memory store.",
        subcommands: [GraphVerify.self, GraphStats.self])

    /// Opens the store in `directory` read-only, runs `body` and closes it.
    static func withStore<T>(
        _ directory: String, reading: ReadAccess, global: GlobalOptions, _ body: (MemoryStore) throws -> T
    ) throws -> T {
        try global.withDatabase(directory, reading: reading) { database in
            try body(try MemoryStore(database: database))
        }
    }
}

/// `strata graph verify DIR`: records and indexes agree exactly.
struct GraphVerify: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Check that every graph index entry points at its record and every record has exactly its entries.",
        discussion: """
            Reads one snapshot: every node record decodes and has exactly its structural index \
            entries, every edge joins two nodes of one namespace and has its incoming entry, every \
            vector belongs to a node and a defined space and has the space's length, versions and \
            access counts belong to nodes. Exits 0 when sound, 1 listing the first problems.
            """)

    @Argument(help: "The database directory.")
    var directory: String

    @OptionGroup var reading: ReadAccess
    @OptionGroup var global: GlobalOptions

    func run() throws {
        let (report, time) = try Measurement.time {
            try Graph.withStore(directory, reading: reading, global: global) { try $0.verify() }
        }
        let counts = "\(report.nodes) nodes, \(report.edges) edges, \(report.vectors) vectors, \(report.indexEntries) index entries"
        guard report.isSound else {
            for problem in report.problems { Console.error(problem) }
            throw CommandFailure("not sound: \(report.problems.count) problems (listed above) in \(counts)")
        }
        print("sound: \(counts) checked in \(Measurement.duration(time))")
    }
}

/// `strata graph stats DIR`: nodes by namespace and kind, edges by type, vectors.
struct GraphStats: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stats",
        abstract: "Count nodes by namespace and kind, edges by type, and vectors by space.",
        discussion: "Counts what is stored, including expired nodes the sweep has not deleted yet.")

    @Argument(help: "The database directory.")
    var directory: String

    @OptionGroup var reading: ReadAccess
    @OptionGroup var global: GlobalOptions

    func run() throws {
        let statistics = try Graph.withStore(directory, reading: reading, global: global) { try $0.statistics() }
        var nodes = Table("namespace", "kind", "nodes")
        nodes.leftAligned = [0, 1]
        for namespace in statistics.nodes.keys.sorted() {
            for (kind, count) in statistics.nodes[namespace]!.sorted(by: { $0.key < $1.key }) {
                nodes.add(namespace, kind, "\(count)")
            }
        }
        var edges = Table("edge type", "edges")
        for (type, count) in statistics.edges.sorted(by: { $0.key < $1.key }) { edges.add(type, "\(count)") }
        var vectors = Table("namespace", "space", "vectors")
        vectors.leftAligned = [0, 1]
        for namespace in statistics.vectors.keys.sorted() {
            for (space, count) in statistics.vectors[namespace]!.sorted(by: { $0.key < $1.key }) {
                vectors.add(namespace, space, "\(count)")
            }
        }
        print("Nodes (\(statistics.nodeCount); \(statistics.expiring) with an expiry, \(statistics.versions) earlier versions kept)")
        print(nodes.render())
        print("\nEdges (\(statistics.edgeCount))")
        print(edges.render())
        print("\nVectors (\(statistics.vectorCount))")
        print(vectors.render())
        if !statistics.spaces.isEmpty {
            print("\nEmbedding spaces")
            for space in statistics.spaces {
                print("  \(space.name): \(space.model), \(space.dimension) dimensions, \(space.metric)")
            }
        }
    }
}
