#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import StrataEngine

/// What ``MemoryStore/verify()`` found.
public struct GraphVerification: Sendable {
    /// Nodes checked.
    public var nodes = 0
    /// Edges checked.
    public var edges = 0
    /// Vectors checked.
    public var vectors = 0
    /// Structural index entries checked.
    public var indexEntries = 0
    /// Each disagreement between records and indexes, in words (empty when the graph is sound).
    public var problems: [String] = []

    /// Whether records and indexes agree exactly.
    public var isSound: Bool { problems.isEmpty }
}

/// Checks that every index entry points at a record that exists and every record has exactly its
/// index entries: the structural index, both adjacency directions, vectors, versions, access.
struct GraphVerifier<Source: GraphTreeSource> {
    let view: GraphView<Source>
    /// Stop listing problems after this many (the counts go on).
    var problemLimit = 100

    func run() throws -> GraphVerification {
        var report = GraphVerification()
        func problem(_ text: String) {
            if report.problems.count < problemLimit { report.problems.append(text) }
        }
        var expectedIndex: Set<[UInt8]> = []
        var createdAt: [NodeID: (namespace: String, date: Date)] = [:]
        var nodeCursor = try view.nodes.range(.unbounded, .unbounded, reverse: false)
        while let entry = try nodeCursor.next() {
            report.nodes += 1
            let id: NodeID
            do {
                let key = try TupleKey(decoding: entry.key)
                guard key.count == 1, let decoded = NodeID(tupleElement: key.elements[0]) else {
                    problem("node key \(key) is not (id)")
                    continue
                }
                id = decoded
            } catch {
                problem("node key \(entry.key) does not decode: \(error)")
                continue
            }
            do {
                let node = try NodeCodec.decode(entry.value, id: id)
                createdAt[id] = (node.namespace, node.createdAt)
                expectedIndex.formUnion(IndexKey.keys(for: node))
                for owner in node.content.owners where try !view.contains(owner) {
                    problem("node \(id) hangs off \(owner), which does not exist")
                }
            } catch {
                problem("node \(id) does not decode: \(error)")
            }
        }
        // Outgoing edges: both ends exist in one namespace, and each has its incoming entry.
        var expectedIncoming: [[UInt8]: [UInt8]] = [:]
        var expectedDegrees: [[UInt8]: Int] = [:]
        var edgeCursor = try view.edges.range(.unbounded, .unbounded, reverse: false)
        while let entry = try edgeCursor.next() {
            report.edges += 1
            let key = try TupleKey(decoding: entry.key)
            guard key.count == 3, let from = NodeID(tupleElement: key.elements[0]),
                let type: String = try? key.value(at: 1), let to = NodeID(tupleElement: key.elements[2])
            else {
                problem("edge key \(key) is not (from, type, to)")
                continue
            }
            guard let source = createdAt[from] else {
                problem("edge \(from) -\(type)-> \(to) starts at a node that does not exist")
                continue
            }
            guard let target = createdAt[to] else {
                problem("edge \(from) -\(type)-> \(to) ends at a node that does not exist")
                continue
            }
            if source.namespace != target.namespace { problem("edge \(from) -\(type)-> \(to) crosses namespaces") }
            do {
                let edge = try EdgeCodec.decode(entry.value, from: from, type: EdgeType(type), to: to)
                expectedIncoming[TupleKey(to, type, source.date, from).bytes] = EdgeCodec.encodeValidity(edge)
                if edge.validUntil == nil { expectedDegrees[TupleKey(to, type).bytes, default: 0] += 1 }
            } catch {
                problem("edge \(from) -\(type)-> \(to) does not decode: \(error)")
            }
        }
        var incomingCursor = try view.incoming.range(.unbounded, .unbounded, reverse: false)
        var incomingCount = 0
        while let entry = try incomingCursor.next() {
            incomingCount += 1
            let name = (try? TupleKey(decoding: entry.key))?.description ?? "\(entry.key)"
            if let validity = expectedIncoming[entry.key] {
                if validity != entry.value { problem("incoming entry \(name) holds another validity than its edge") }
            } else {
                problem("incoming entry \(name) has no edge")
            }
        }
        if incomingCount != expectedIncoming.count {
            problem("\(expectedIncoming.count) edges but \(incomingCount) incoming entries")
        }
        // Degree counters: exactly one per (target, type) with edges, holding their number.
        var degreeCursor = try view.degrees.range(.unbounded, .unbounded, reverse: false)
        var degreeKeys = 0
        while let entry = try degreeCursor.next() {
            degreeKeys += 1
            let key = (try? TupleKey(decoding: entry.key))?.description ?? "\(entry.key)"
            var reader = RecordReader(entry.value, context: "degree \(key)")
            let stored = try? reader.varint()
            if let expected = expectedDegrees[entry.key] {
                if stored != UInt64(expected) { problem("degree \(key) holds \(stored.map(String.init) ?? "?"), edges say \(expected)") }
            } else {
                problem("degree \(key) counts edges that do not exist")
            }
        }
        if degreeKeys != expectedDegrees.count { problem("\(expectedDegrees.count) degree counters expected, \(degreeKeys) stored") }
        // Vectors: each belongs to an existing node and space, and is listed in the index.
        var vectorCursor = try view.embeddings.range(.unbounded, .unbounded, reverse: false)
        while let entry = try vectorCursor.next() {
            report.vectors += 1
            let key = try TupleKey(decoding: entry.key)
            guard key.count == 2, let id = NodeID(tupleElement: key.elements[0]), let space: String = try? key.value(at: 1) else {
                problem("vector key \(key) is not (id, space)")
                continue
            }
            guard let owner = createdAt[id] else {
                problem("vector of \(id) in \(space) belongs to a node that does not exist")
                continue
            }
            if let definition = try view.space(named: space) {
                if entry.value.count != definition.dimension * 4 {
                    problem("vector of \(id) in \(space) has \(entry.value.count) bytes, not \(definition.dimension * 4)")
                }
            } else {
                problem("vector of \(id) is in space \(space), which is not defined")
            }
            expectedIndex.insert(IndexKey.vector(namespace: owner.namespace, space: space, id: id))
        }
        // The structural index: exactly the expected entries.
        var indexCursor = try view.index.range(.unbounded, .unbounded, reverse: false)
        var seen = 0
        while let entry = try indexCursor.next() {
            report.indexEntries += 1
            if expectedIndex.contains(entry.key) {
                seen += 1
            } else {
                problem("index entry \((try? TupleKey(decoding: entry.key))?.description ?? "\(entry.key)") has no record")
            }
        }
        if seen != expectedIndex.count {
            problem("\(expectedIndex.count - seen) index entries are missing")
        }
        // Versions and access counts belong to existing nodes.
        for (tree, what) in [(try view.versions, "version"), (try view.access, "access count")] {
            var cursor = try tree.range(.unbounded, .unbounded, reverse: false)
            while let entry = try cursor.next() {
                let key = try TupleKey(decoding: entry.key)
                guard let id = NodeID(tupleElement: key.elements[0]), createdAt[id] != nil else {
                    problem("\(what) \(key) belongs to a node that does not exist")
                    continue
                }
            }
        }
        return report
    }
}
