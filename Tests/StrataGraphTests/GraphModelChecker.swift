import Foundation
import StrataEngine
import StrataGraph
import StrataTestSupport
import Synchronization
import Testing

/// The first disagreement between the store and the reference: the run stops there.
struct ModelMismatch: Error, CustomStringConvertible {
    var description: String
}

/// What a query returned, or the code it threw.
enum Answer<T: Equatable>: Equatable {
    case value(T)
    case failed(StrataError.Code)

    init(_ body: () throws -> T) throws {
        do { self = .value(try body()) } catch let error as StrataError { self = .failed(error.code) }
    }
}

/// Runs every query of ``GraphReader`` on the store and on the reference and throws
/// ``ModelMismatch`` at the first difference.
struct GraphModelChecker {
    let store: MemoryStore
    let reference: ReferenceGraph
    let ids: [NodeID]
    let now: Date

    func same<T: Equatable>(_ actual: T, _ expected: T, _ what: @autoclosure () -> String) throws {
        guard actual == expected else {
            throw ModelMismatch(description: "\(what()): store \(actual), reference \(expected)")
        }
    }

    func checkAll(rng: inout SeededRandom) throws {
        for includingExpired in [false, true] {
            let reader = try store.reader(at: now, includingExpired: includingExpired)
            let view = reference.view(at: now, includingExpired: includingExpired)
            try check(reader, view, rng: &rng, context: includingExpired ? "including expired" : "at \(now)")
        }
        let report = try store.verify()
        guard report.isSound else { throw ModelMismatch(description: "verify: \(report.problems)") }
        try same(report.nodes, reference.nodes.count, "verify's node count")
        try same(report.edges, reference.edges.count, "verify's edge count")
        try same(StatisticsCounts(try store.statistics()), reference.statistics, "statistics()")
    }

    func check(_ reader: GraphReader, _ view: ReferenceGraphView, rng: inout SeededRandom, context: String) throws {
        let namespaces = GraphModelGenerator.namespaces
        for id in ids {
            try same(try Answer { try reader.node(id) }, try Answer { try view.node(id) }, "node(\(id)), \(context)")
            let namespace = namespaces[Int.random(in: 0...1, using: &rng)]
            try same(try Answer { try reader.node(id, in: namespace) }, try Answer { try view.node(id, in: namespace) },
                     "node(\(id), in: \(namespace)), \(context)")
            try same(try reader.versions(of: id), view.versions(of: id), "versions(of: \(id)), \(context)")
            try same(try reader.accessStats(of: id), view.accessStats(of: id), "accessStats(of: \(id)), \(context)")
            try same(try reader.dependents(of: id).map(\.id), view.dependentIDs(of: id), "dependents(of: \(id)), \(context)")
            for direction in EdgeDirection.allCases {
                let invalidated = Bool.random(using: &rng)
                try same(try reader.edges(of: id, direction: direction, includingInvalidated: invalidated),
                         view.edges(of: id, direction: direction, includingInvalidated: invalidated),
                         "edges(of: \(id), \(direction), invalidated \(invalidated)), \(context)")
            }
            try same(try reader.entities(mentionedBy: id).map(\.id), view.neighbours(of: id, type: .mentions),
                     "entities(mentionedBy: \(id)), \(context)")
            let type = GraphModelGenerator.edgeTypes.randomElement(using: &rng)!
            let direction = EdgeDirection.allCases.randomElement(using: &rng)!
            try same(try reader.neighbours(of: id, type: type, direction: direction), view.neighbours(of: id, type: type, direction: direction),
                     "neighbours(of: \(id), \(type), \(direction)), \(context)")
            for space in GraphModelGenerator.spaces {
                try same(try Answer { try reader.vector(of: id, in: space.name) }, try Answer { try view.vector(of: id, in: space.name) },
                         "vector(of: \(id), in: \(space.name)), \(context)")
            }
            let node = view.graph.nodes[id]
            if node?.kind == .conversation || Int.random(in: 0..<8, using: &rng) == 0 {
                try checkMessages(of: id, reader, view, rng: &rng, context: context)
            }
            if node?.kind == .entity || Int.random(in: 0..<8, using: &rng) == 0 {
                let limit = [Int.max, 1, 2, -1].randomElement(using: &rng)!
                try same(try Answer { try reader.mentionIDs(of: id, limit: limit) }, try Answer { try view.mentionIDs(of: id, limit: limit) },
                         "mentionIDs(of: \(id), limit: \(limit)), \(context)")
                try same(try Answer { try reader.mentions(of: id, limit: limit) },
                         try Answer { try view.mentionIDs(of: id, limit: limit).compactMap { try view.node($0) } },
                         "mentions(of: \(id), limit: \(limit)), \(context)")
                let newest = [100, 1, 3].randomElement(using: &rng)!
                let co = try reader.coMentioned(with: id, inNewest: newest).map { "\($0.entity)×\($0.count)" }
                let expected = try view.coMentioned(with: id, inNewest: newest).map { "\($0.entity)×\($0.count)" }
                try same(co, expected, "coMentioned(with: \(id), inNewest: \(newest)), \(context)")
            }
        }
        for namespace in namespaces {
            let kinds: [NodeKind?] = [nil, .conversation, .message, .entity, .summary, .memory] + GraphModelGenerator.customKinds.map { .custom($0) }
            for kind in kinds {
                try same(try reader.count(in: namespace, kind: kind), view.count(in: namespace, kind: kind), "count(in: \(namespace), kind: \(kind as Any)), \(context)")
                let range = randomRange(&rng)
                let limit = [Int.max, 0, 1, 3].randomElement(using: &rng)!
                let reverse = Bool.random(using: &rng)
                try same(try reader.nodeIDs(in: namespace, kind: kind, createdIn: range, limit: limit, reverse: reverse),
                         try view.nodeIDs(in: namespace, kind: kind, createdIn: range, limit: limit, reverse: reverse),
                         "nodeIDs(in: \(namespace), kind: \(kind as Any), createdIn: \(range as Any), limit: \(limit), reverse: \(reverse)), \(context)")
            }
            let kind = kinds.randomElement(using: &rng)!
            try same(try reader.nodes(in: namespace, kind: kind).map { $0 }, try view.nodeIDs(in: namespace, kind: kind).compactMap { try view.node($0) },
                     "nodes(in: \(namespace), kind: \(kind as Any)), \(context)")
            let cutoff = now.addingTimeInterval(-Double(Int.random(in: 0...30, using: &rng)))
            try same(try reader.nodes(in: namespace, kind: kind, olderThan: cutoff).map(\.id),
                     try view.nodeIDs(in: namespace, kind: kind, createdIn: Date.distantPast..<cutoff),
                     "nodes(in: \(namespace), kind: \(kind as Any), olderThan: \(cutoff)), \(context)")
            for memoryKind in [nil] + Memory.Kind.allCases {
                let minimum = [0, 0.5, -1, 0.75].randomElement(using: &rng)!
                let limit = [Int.max, 0, 1, 2].randomElement(using: &rng)!
                try same(try reader.memories(in: namespace, kind: memoryKind, minImportance: minimum, limit: limit).map(\.id),
                         try view.memoryIDs(in: namespace, kind: memoryKind, minImportance: minimum, limit: limit),
                         "memories(in: \(namespace), kind: \(memoryKind as Any), minImportance: \(minimum), limit: \(limit)), \(context)")
            }
            for name in GraphModelGenerator.names + ["nobody"] {
                try same(try reader.entities(named: name, in: namespace).map(\.id), view.entityIDs(named: name, in: namespace),
                         "entities(named: \(name), in: \(namespace)), \(context)")
            }
            for space in GraphModelGenerator.spaces {
                try checkNearest(space, namespace, reader, view, rng: &rng, context: context)
            }
        }
        for _ in 0..<4 {
            let start = ids.randomElement(using: &rng)!
            let hops = Int.random(in: 0...3, using: &rng)
            let types: [EdgeType]? = Bool.random(using: &rng) ? nil : [.mentions, .relatesTo, "likes"].shuffled(using: &rng).prefix(2).map { $0 }
            let direction = EdgeDirection.allCases.randomElement(using: &rng)!
            let limit = [1000, 2, 0].randomElement(using: &rng)!
            try same(
                try Answer { try reader.expand(from: start, hops: hops, types: types, direction: direction, limit: limit).map { Reached(id: $0.id, depth: $0.depth, via: $0.via) } },
                try Answer { try view.expand(from: start, hops: hops, types: types, direction: direction, limit: limit) },
                "expand(from: \(start), hops: \(hops), types: \(types as Any), \(direction), limit: \(limit)), \(context)")
        }
    }

    func randomRange(_ rng: inout SeededRandom) -> Range<Date>? {
        guard Bool.random(using: &rng) else { return nil }
        let low = now.addingTimeInterval(-Double(Int.random(in: 0...50, using: &rng)))
        return low..<low.addingTimeInterval(Double(Int.random(in: 0...30, using: &rng)))
    }

    func checkMessages(of id: NodeID, _ reader: GraphReader, _ view: ReferenceGraphView, rng: inout SeededRandom, context: String) throws {
        let namespace: String? = Int.random(in: 0..<4, using: &rng) == 0 ? GraphModelGenerator.namespaces.randomElement(using: &rng) : nil
        let range = randomRange(&rng)
        let limit = [Int.max, 0, 1, 2, 5].randomElement(using: &rng)!
        let reverse = Bool.random(using: &rng)
        try same(
            try Answer { try reader.messages(in: id, namespace: namespace, range: range, limit: limit, reverse: reverse).map(\.id) },
            try Answer { try view.messageIDs(in: id, namespace: namespace, range: range, limit: limit, reverse: reverse) },
            "messages(in: \(id), namespace: \(namespace as Any), range: \(range as Any), limit: \(limit), reverse: \(reverse)), \(context)")
    }

    func checkNearest(
        _ space: EmbeddingSpace, _ namespace: String, _ reader: GraphReader, _ view: ReferenceGraphView, rng: inout SeededRandom,
        context: String
    ) throws {
        var query = (0..<space.dimension).map { _ in Float(Int.random(in: -3...3, using: &rng)) }
        if space.metric == .cosine, query.allSatisfy({ $0 == 0 }) { query[0] = 1 }
        let k = [1, 3, 10, 0].randomElement(using: &rng)!
        var filter = VectorFilter()
        var described = "none"
        switch Int.random(in: 0..<8, using: &rng) {
        case 0: break
        case 1: filter.kinds = [.message, .memory]
        case 2: filter.conversation = ids.randomElement(using: &rng)
        case 3: filter.createdIn = randomRange(&rng) ?? now.addingTimeInterval(-20)..<now
        case 4:
            filter.memoryKinds = Set(Memory.Kind.allCases.shuffled(using: &rng).prefix(Int.random(in: 1...2, using: &rng)))
            if Bool.random(using: &rng) { filter.kinds = [.memory, .message] }
        case 5:
            filter.minImportance = [0, 0.3, 0.5, 0.9].randomElement(using: &rng)!
            if Bool.random(using: &rng) { filter.createdIn = randomRange(&rng) ?? now.addingTimeInterval(-20)..<now }
        case 6:
            // A predicate on what only the record says (and a field derived at read time).
            let long = Int.random(in: 0..<8, using: &rng)
            filter.predicate = { node in
                if case .entity(let entity) = node.content { return entity.mentionCount > 0 }
                return node.id.description.count > long
            }
            described = "predicate (an entity with mentions, or an id longer than \(long))"
        default:
            filter.kinds = [.message]
            filter.conversation = ids.randomElement(using: &rng)
            filter.createdIn = randomRange(&rng)
        }
        if filter.predicate == nil {
            described = "kinds: \(filter.kinds as Any), conversation: \(filter.conversation as Any), createdIn: \(filter.createdIn as Any), "
                + "memoryKinds: \(filter.memoryKinds as Any), minImportance: \(filter.minImportance as Any)"
        }
        let what = "nearest(k: \(k), in: \(space.name), namespace: \(namespace), \(described)), \(context)"
        let actual: Answer<[Hit]>
        var actualScanned = 0
        var actualExhausted = false
        do {
            let result = try reader.nearest(
                to: query, k: k, in: space.name, namespace: namespace, filter: filter, ef: max(k, Self.searchEF))
            actual = .value(result.hits.map { Hit(id: $0.id, distance: $0.distance) })
            actualScanned = result.scanned
            actualExhausted = result.filterExhausted || result.budgetExhausted
        } catch let error as StrataError {
            actual = .failed(error.code)
        }
        let expected: Answer<[Hit]>
        var expectedResult: (hits: [Hit], scanned: Int, exhausted: Bool)?
        do {
            expectedResult = try view.nearest(to: query, k: k, in: space.name, namespace: namespace, filter: filter)
            expected = .value(expectedResult!.hits)
        } catch let error as StrataError {
            expected = .failed(error.code)
        }
        _ = actualScanned
        switch (actual, expected) {
        case (.value(let a), .value(let e)):
            // The store walks its HNSW graph (GraphModelRunner's index configuration): every hit
            // one the reference's full answer holds at its distance, in order, no id twice, all
            // `k` unless the search says it ran out, and at least `recallFloor` of the exact top k.
            let everything = try view.nearest(to: query, k: 1_000_000, in: space.name, namespace: namespace, filter: filter).hits
            let passing = Dictionary(everything.map { ($0.id, $0.distance) }, uniquingKeysWith: { a, _ in a })
            var previous = -Float.infinity
            for hit in a {
                guard let distance = passing[hit.id] else {
                    throw ModelMismatch(description: "\(what): returned \(hit.id), which the reference excludes (deleted, expired, filtered)")
                }
                guard abs(hit.distance - distance) <= 1e-5 else {
                    throw ModelMismatch(description: "\(what): distance of \(hit.id) is \(hit.distance), reference \(distance)")
                }
                guard hit.distance >= previous - 1e-5 else { throw ModelMismatch(description: "\(what): hits out of order") }
                previous = hit.distance
            }
            try same(Set(a.map(\.id)).count, a.count, "distinct hits of \(what)")
            if a.count != e.count, !(a.count < e.count && actualExhausted) {
                throw ModelMismatch(description: "\(what): \(a.count) hits, the reference \(e.count), exhausted \(actualExhausted)")
            }
            guard let kth = e.last?.distance else { break }
            let recall = Double(a.filter { $0.distance <= kth + 1e-5 }.count) / Double(e.count)
            GraphModelChecker.lowestRecall.withLock { $0 = min($0, recall) }
            guard recall >= Self.recallFloor else {
                throw ModelMismatch(description: "\(what): recall \(recall) below \(Self.recallFloor): \(a.map(\.id)), exact \(e.map(\.id))")
            }
        default: try same(actual, expected, what)
        }
        _ = expectedResult
    }

    /// The `ef` the model test searches with (or `k`, if larger).
    static let searchEF = 64
    /// The share of the exact top k every search must find at ``searchEF``.
    static let recallFloor = 0.9
    /// The lowest recall seen (printed by the model test when STRATA_MODEL_RECALL is set).
    static let lowestRecall = Mutex(1.0)
}
