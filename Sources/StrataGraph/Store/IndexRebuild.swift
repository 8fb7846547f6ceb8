import StrataEngine

/// Regenerates every derived entry of the graph from its records in bounded transactions, with
/// its progress recorded in `graph.meta` in each batch's own transaction, so that a rebuild cut
/// short by a crash resumes where it stood when the store is next opened writable.
///
/// Phases: clear the derived trees (`graph.index`, `graph.edges.in`, `graph.degrees`), then the
/// nodes' index keys, then the edges' incoming entries and degree counters, then the vectors'
/// listings, each walked in key order from the key after the last one done.
struct IndexRebuild {
    enum Phase: UInt8 {
        case nodes = 1
        case edges = 2
        case vectors = 3
    }

    /// Where a rebuild stands: the phase, and the last key of that phase's tree already done.
    struct Progress: Equatable {
        var phase: Phase
        var after: [UInt8]?

        func encode() -> [UInt8] {
            var writer = RecordWriter()
            writer.byte(phase.rawValue)
            writer.optional(after) { $0.raw($1) }
            return writer.bytes
        }

        static func decode(_ bytes: [UInt8]) throws -> Progress {
            var reader = RecordReader(bytes, context: "rebuild progress")
            guard let phase = Phase(rawValue: try reader.byte()) else { throw reader.failure("rebuild phase") }
            let after = try reader.optional { try $0.rawBytes() }
            try reader.finish()
            return Progress(phase: phase, after: after)
        }
    }

    static let progressKey = TupleKey("rebuild").bytes

    let database: Database
    let trees: GraphTrees
    /// Records per transaction.
    let batchSize: Int

    /// The progress of an unfinished rebuild, if one was cut short.
    static func pending(in trees: GraphTrees) throws -> Progress? {
        try trees.meta.get(progressKey).map(Progress.decode)
    }

    /// Runs a rebuild from the start, or resumes `progress`; calls `beforeTransaction` before
    /// each of its transactions (each commits: it always changes the recorded progress).
    func run(resuming progress: Progress? = nil, beforeTransaction: () -> Void = {}) throws {
        var progress = progress ?? Progress(phase: .nodes, after: nil)
        if progress.after == nil, progress.phase == .nodes {
            beforeTransaction()
            try database.write { tx in
                try tx.clear(trees.index)
                try tx.clear(trees.incoming)
                try tx.clear(trees.degrees)
                try tx.insert(progress.encode(), forKey: Self.progressKey, in: trees.meta)
            }
        }
        while true {
            beforeTransaction()
            let next = try database.write { tx -> Progress? in
                let view = trees.view(tx)
                let source: TransactionTree
                switch progress.phase {
                case .nodes: source = try view.nodes
                case .edges: source = try view.edges
                case .vectors: source = try view.embeddings
                }
                var cursor = try source.range(progress.after.map { .excluded($0) } ?? .unbounded, .unbounded, reverse: false)
                var last: [UInt8]?
                var done = 0
                while done < batchSize, let entry = try cursor.next() {
                    try rebuild(entry, phase: progress.phase, view: view, in: tx)
                    last = entry.key
                    done += 1
                }
                let following: Progress?
                if let last, done == batchSize {
                    following = Progress(phase: progress.phase, after: last)
                } else if let phase = Phase(rawValue: progress.phase.rawValue + 1) {
                    following = Progress(phase: phase, after: nil)
                } else {
                    following = nil
                }
                if let following {
                    try tx.insert(following.encode(), forKey: Self.progressKey, in: trees.meta)
                } else {
                    try tx.remove(Self.progressKey, from: trees.meta)
                }
                return following
            }
            guard let next else { return }
            progress = next
        }
    }

    /// Writes the derived entries of one record.
    private func rebuild(_ entry: Entry, phase: Phase, view: GraphView<Transaction>, in tx: Transaction) throws {
        let key = try TupleKey(decoding: entry.key)
        switch phase {
        case .nodes:
            guard key.count == 1, let id = NodeID(tupleElement: key.elements[0]) else {
                throw GraphError.corruption("node key \(key) is not (id)")
            }
            for indexKey in IndexKey.keys(for: try NodeCodec.decode(entry.value, id: id)) {
                try tx.insert([], forKey: indexKey, in: trees.index)
            }
        case .edges:
            guard key.count == 3, let from = NodeID(tupleElement: key.elements[0]),
                let to = NodeID(tupleElement: key.elements[2])
            else { throw GraphError.corruption("edge key \(key) is not (from, type, to)") }
            let type: String = try key.value(at: 1)
            guard let source = try view.nodeHeader(from) else {
                throw GraphError.corruption("edge \(from) -\(type)-> \(to) starts at a node that does not exist")
            }
            let edge = try EdgeCodec.decode(entry.value, from: from, type: EdgeType(type), to: to)
            try tx.insert(
                EdgeCodec.encodeValidity(edge), forKey: TupleKey(to, type, source.createdAt, from).bytes, in: trees.incoming)
            if edge.validUntil == nil {
                var writer = RecordWriter(capacity: 4)
                writer.varint(UInt64(try view.inDegree(of: to, type: EdgeType(type)) + 1))
                try tx.insert(writer.bytes, forKey: TupleKey(to, type).bytes, in: trees.degrees)
            }
        case .vectors:
            guard key.count == 2, let id = NodeID(tupleElement: key.elements[0]) else {
                throw GraphError.corruption("vector key \(key) is not (id, space)")
            }
            let space: String = try key.value(at: 1)
            guard let owner = try view.nodeHeader(id) else {
                throw GraphError.corruption("the vector of \(id) in \(space) belongs to a node that does not exist")
            }
            try tx.insert([], forKey: IndexKey.vector(namespace: owner.namespace, space: space, id: id), in: trees.index)
        }
    }
}
