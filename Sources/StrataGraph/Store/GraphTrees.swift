import StrataEngine

/// The engine trees the graph layer owns (FORMAT.md, "Graph trees"). Only the graph layer writes
/// them (they are owned by ``GraphTrees/owner``): nobody can change a record past its indexes.
/// A class: every reader and view shares one set of handles (a copy is one reference).
final class GraphTrees: Sendable {
    /// The owner recorded in the engine's catalog for every graph tree.
    static let owner = TreeOwner("strata.graph")

    /// `id` → the node's current record.
    let nodes: Tree
    /// `(id, version)` → an earlier record of the node.
    let versions: Tree
    /// `(from, type, to)` → the edge's record: the outgoing adjacency.
    let edges: Tree
    /// `(to, type, from's createdAt, from)` → empty: the incoming adjacency.
    let incoming: Tree
    /// The structural index (``IndexKey``) → empty.
    let index: Tree
    /// `(id, space)` → the vector, little-endian Float32.
    let embeddings: Tree
    /// `name` → the embedding space.
    let spaces: Tree
    /// `id` → access count and last access.
    let access: Tree
    /// `(id, type)` → how many current (never invalidated) edges of `type` end at `id` (varint;
    /// absent when none).
    let degrees: Tree
    /// Format version and maintenance markers.
    let meta: Tree
    /// The HNSW vector index: per (namespace, space) a header, node, neighbour-list, tombstone
    /// and free-slot rows (FORMAT.md, "HNSW rows"). nil only in a read-only open of a store
    /// written before the index existed (the tree cannot be created read-only): searches then
    /// compare exactly and no graph is reported.
    let hnswIfPresent: Tree?

    /// The HNSW tree. Throws `readOnly` when the store has none (``hnswIfPresent``).
    var hnsw: Tree {
        get throws {
            guard let hnswIfPresent else {
                throw StrataError(.readOnly, "this memory store has no vector index yet (graph.hnsw); open it writable once to build it")
            }
            return hnswIfPresent
        }
    }

    init(
        nodes: Tree, versions: Tree, edges: Tree, incoming: Tree, index: Tree, embeddings: Tree, spaces: Tree,
        access: Tree, degrees: Tree, meta: Tree, hnsw: Tree?
    ) {
        self.nodes = nodes
        self.versions = versions
        self.edges = edges
        self.incoming = incoming
        self.index = index
        self.embeddings = embeddings
        self.spaces = spaces
        self.access = access
        self.degrees = degrees
        self.meta = meta
        self.hnswIfPresent = hnsw
    }

    static let names = [
        "graph.nodes", "graph.versions", "graph.edges", "graph.edges.in", "graph.index", "graph.embeddings",
        "graph.spaces", "graph.access", "graph.degrees", "graph.meta", "graph.hnsw",
    ]

    /// The settings a new store creates the trees that queries read with: not compressed, so a
    /// page read from disk (a cold read) is checked and decoded without an LZ4 pass, which cost
    /// more than the page's decoding and checksum together (BENCHMARKS.md, "Cold reads").
    static let queriedTreeSettings = TreeSettings(compression: false)

    /// Opens (creating them when the database is writable) the graph's trees in `database`.
    /// A tree that exists keeps the settings it was created with (the engine persists them per
    /// tree): a store made before ``queriedTreeSettings`` keeps its compressed trees.
    static func open(in database: Database) throws -> GraphTrees {
        func tree(_ name: String, _ settings: TreeSettings = .default) throws -> Tree {
            if database.isReadOnly {
                guard let tree = try database.existingTree(name) else {
                    throw StrataError(.notFound, "\(database.path) holds no memory store (tree \(name) is missing); open it writable once to create one")
                }
                return tree
            }
            let exists = try database.existingTree(name) != nil
            return try database.ownedTree(name, owner: owner, settings: exists ? .default : settings)
        }
        return GraphTrees(
            nodes: try tree("graph.nodes", queriedTreeSettings),
            versions: try tree("graph.versions"),
            edges: try tree("graph.edges", queriedTreeSettings),
            incoming: try tree("graph.edges.in", queriedTreeSettings),
            index: try tree("graph.index", queriedTreeSettings),
            // Floats do not compress; each vector above 512 bytes is one blob page.
            embeddings: try tree("graph.embeddings", TreeSettings(largeValueThreshold: 512, compression: false)),
            spaces: try tree("graph.spaces"),
            access: try tree("graph.access"),
            degrees: try tree("graph.degrees"),
            meta: try tree("graph.meta"),
            // Neighbour lists of 4-byte slots: small values, not worth compressing. A read-only
            // open of a store written before the index existed has none (searches scan exactly).
            hnsw: database.isReadOnly
                ? try database.existingTree("graph.hnsw")
                : try tree("graph.hnsw", TreeSettings(compression: false)))
    }

    /// The graph as of `snapshot`.
    func view(_ snapshot: Snapshot) -> GraphView<Snapshot> {
        GraphView(source: snapshot, trees: self)
    }

    /// The graph with `transaction`'s own writes.
    func view(_ transaction: Transaction) -> GraphView<Transaction> {
        GraphView(source: transaction, trees: self)
    }
}

/// What a ``GraphView`` reads its trees from: a snapshot or a transaction.
protocol GraphTreeSource {
    associatedtype Tree: ReadableTree
    /// `tree` as this source sees it.
    func tree(_ tree: StrataEngine.Tree) throws -> Tree
}

extension Snapshot: GraphTreeSource {
    func tree(_ tree: StrataEngine.Tree) throws -> SnapshotTree { try self[tree] }
}

extension Transaction: GraphTreeSource {
    func tree(_ tree: StrataEngine.Tree) -> TransactionTree { self[tree] }
}
