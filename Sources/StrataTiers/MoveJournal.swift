import StrataEngine
import StrataGraph

/// One batch of a move as the journal records it (FORMAT.md, "Move journal").
struct MoveBatch: Hashable, Sendable {
    /// Where a batch stands: `copying` once journaled (the target may or may not hold the
    /// copies: its marker says), `copied` once the catalog names the target (the source's copies
    /// are invisible and only need evicting).
    enum State: String, Sendable {
        case copying, copied
    }

    var number: Int64
    var source: Tier
    var target: Tier
    var state: State
    /// FNV-1a digest of the source's exports when journaled (checked before an active source is
    /// evicted: a record changed since is not evicted, the batch is undone).
    var digest: UInt64
    /// The records, each unit's owners first.
    var ids: [NodeID]
}

/// The move journal and the edges that cross tiers, in trees of the active tier's database
/// owned by `strata.tiers`; the per-target markers in each tier's own database.
struct MoveJournal: Sendable {
    /// `(batch)` → `(source, target, state, digest, id…)`; `("next")` → `(next batch number)`.
    let batches: Tree
    /// `(from, type, to)` → the edge's record: edges whose ends the catalog places in different tiers.
    let crossing: Tree

    static let markerTree = "tiers.moves"

    static func open(in database: Database) throws -> MoveJournal {
        MoveJournal(
            batches: try database.ownedTree("tiers.journal", owner: TierCatalog.owner),
            crossing: try database.ownedTree("tiers.edges", owner: TierCatalog.owner))
    }

    static let nextKey = TupleKey("next").bytes

    /// The next batch number (and reserves it) in `transaction`.
    func reserveNumber(in transaction: Transaction) throws -> Int64 {
        let next = try transaction[batches].get(Self.nextKey).map { try TupleKey(decoding: $0).value(at: 0, as: Int64.self) } ?? 1
        try transaction.insert(TupleKey(next + 1).bytes, forKey: Self.nextKey, in: batches)
        return next
    }

    func write(_ batch: MoveBatch, in transaction: Transaction) throws {
        var value = TupleKey(batch.source.name, batch.target.name, batch.state.rawValue, Int64(bitPattern: batch.digest))
        for id in batch.ids { value = value.appending(id) }
        try transaction.insert(value.bytes, forKey: TupleKey(batch.number).bytes, in: batches)
    }

    func remove(_ number: Int64, in transaction: Transaction) throws {
        try transaction.remove(TupleKey(number).bytes, from: batches)
    }

    /// Every unfinished batch, oldest first.
    func pending(in database: Database) throws -> [MoveBatch] {
        var cursor = try batches.range(.unbounded, .unbounded)
        var result: [MoveBatch] = []
        while let entry = try cursor.next() {
            let key = try TupleKey(decoding: entry.key)
            guard let number = try? key.value(at: 0, as: Int64.self) else { continue }
            let value = try TupleKey(decoding: entry.value)
            guard value.count >= 4, let state = MoveBatch.State(rawValue: try value.value(at: 2, as: String.self)) else {
                throw StrataError(.corruption, "move journal row \(number) is malformed")
            }
            let ids = try value.elements.dropFirst(4).map { element in
                guard let id = NodeID(tupleElement: element) else { throw StrataError(.corruption, "move journal row \(number) holds a bad id") }
                return id
            }
            result.append(MoveBatch(
                number: number, source: try Tier(named: value.value(at: 0, as: String.self)),
                target: try Tier(named: value.value(at: 1, as: String.self)), state: state,
                digest: UInt64(bitPattern: try value.value(at: 3, as: Int64.self)), ids: ids))
        }
        return result
    }

    // MARK: Edges across tiers

    func store(_ edge: Edge, in transaction: Transaction) throws {
        try transaction.insert(edge.recordBytes, forKey: TupleKey(edge.from, edge.type.name, edge.to).bytes, in: crossing)
    }

    func remove(_ edge: Edge, in transaction: Transaction) throws {
        try transaction.remove(TupleKey(edge.from, edge.type.name, edge.to).bytes, from: crossing)
    }

    /// The crossing edge `from -type-> to`, if the crossing tree holds it (as `view` sees it).
    func edge(from: NodeID, type: EdgeType, to: NodeID, in view: some ReadableTree) throws -> Edge? {
        try view.get(TupleKey(from, type.name, to).bytes).map { try Edge(record: $0, from: from, type: type, to: to) }
    }

    /// The crossing edges with `id` at either end, as `view` sees them (a full scan of the
    /// crossing tree for the incoming side: it holds only edges between tiers).
    func edges(touching ids: Set<NodeID>, in view: some ReadableTree) throws -> [Edge] {
        var cursor = try view.range(.unbounded, .unbounded, reverse: false)
        var result: [Edge] = []
        while let entry = try cursor.next() {
            let key = try TupleKey(decoding: entry.key)
            guard key.count == 3, let from = NodeID(tupleElement: key.elements[0]), let to = NodeID(tupleElement: key.elements[2]) else {
                throw StrataError(.corruption, "crossing edge key \(key) is not (from, type, to)")
            }
            guard ids.contains(from) || ids.contains(to) else { continue }
            result.append(try Edge(record: entry.value, from: from, type: EdgeType(key.value(at: 1, as: String.self)), to: to))
        }
        return result
    }
}
