#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import StrataEngine
import StrataGraph
import StrataTestSupport

/// Vector searches on a recovered store against the brute-force answer over the model's
/// vectors (``RecoveredGraph``): for a few queries per (namespace, space), plain and filtered
/// (kinds, conversation, creation range, memory kinds, minimum importance, a predicate).
///
/// Every search must return only nodes the model holds, visible at the reader's time, in the
/// namespace and passing the filter (so never a deleted, forgotten, expired or other tenant's
/// node), no id twice, distances equal to the model's (to a relative 1e-4: the store's kernels sum
/// in another order) in ascending order, `min(k, candidates)` hits, `filterExhausted` exactly
/// when fewer than `k` nodes pass, and at least ``recallFloor`` of the exact top `k` (a hit tied
/// with the k-th nearest counts: ties may be broken either way in Float32).
public struct GraphVectorCheck: Sendable {
    /// The share of the exact top `k` every search must find: the HNSW walk (at ``searchEF``,
    /// with the campaigns' small graphs, ``GraphWorkloadRunner/vectorIndex``) is held to it.
    public var recallFloor: Double
    /// Searches per (namespace, space), filtered and not.
    public var queriesPerSpace: Int

    /// What the crash, kill and fault campaigns check after every recovery.
    /// `STRATA_RECALL_FLOOR` overrides the floor (to measure what holds).
    public static let campaigns = GraphVectorCheck(
        recallFloor: ProcessInfo.processInfo.environment["STRATA_RECALL_FLOOR"].flatMap(Double.init) ?? 0.9, queriesPerSpace: 4)

    /// The `ef` every check search walks the HNSW graph with (or `k`, if larger).
    public static let searchEF = 64

    public init(recallFloor: Double, queriesPerSpace: Int) {
        self.recallFloor = recallFloor
        self.queriesPerSpace = queriesPerSpace
    }

    /// The one search call the check makes (an approximate index passes its `ef` here).
    func search(
        _ reader: GraphReader, _ query: [Float], k: Int, space: String, namespace: String, filter: VectorFilter
    ) throws -> VectorSearchResult {
        try reader.nearest(to: query, k: k, in: space, namespace: namespace, filter: filter, ef: max(k, Self.searchEF))
    }

    /// A filter and the brute-force reference's version of it.
    struct Filter {
        var filter = VectorFilter()
        var text = "none"

        func admits(_ node: Node) -> Bool {
            if let kinds = filter.kinds, !kinds.contains(node.kind) { return false }
            if let conversation = filter.conversation, node.message?.conversation != conversation { return false }
            if let range = filter.createdIn, !(range.lowerBound <= node.createdAt && node.createdAt < range.upperBound) { return false }
            if filter.memoryKinds != nil || filter.minImportance != nil {
                guard case .memory(let memory) = node.content else { return false }
                if let kinds = filter.memoryKinds, !kinds.contains(memory.kind) { return false }
                if let minimum = filter.minImportance, memory.importance < minimum { return false }
            }
            return filter.predicate?(node) ?? true
        }
    }

    /// Runs the searches on `store` at `now` and throws at the first wrong answer.
    public func check(_ store: MemoryStore, model: RecoveredGraph, now: Date, using rng: inout SeededRandom) throws {
        let reader = try store.reader(at: now)
        let times = model.nodes.values.map(\.createdAt).sorted()
        for namespace in [GraphWorkload.namespace, GraphWorkload.otherNamespace] {
            for space in GraphWorkload.spaces {
                guard model.spaces[space.name] != nil else {
                    do {
                        _ = try search(reader, GraphWorkload.vector(seed: 1, space: 0), k: 1, space: space.name, namespace: namespace, filter: .none)
                    } catch let error as StrataError where error.code == .missingRecord {
                        continue
                    }
                    throw CampaignFailure("nearest in \(space.name), a space the model does not define, did not throw missingRecord")
                }
                for query in 0..<queriesPerSpace {
                    let filter = query % 3 == 0 ? Filter() : Self.randomFilter(times: times, using: &rng)
                    try checkOne(reader, model, space: space, namespace: namespace, filter: filter, now: now, using: &rng)
                }
                try checkHybrid(reader, model, space: space, namespace: namespace, now: now, using: &rng)
            }
        }
    }

    func checkOne(
        _ reader: GraphReader, _ model: RecoveredGraph, space: EmbeddingSpace, namespace: String, filter: Filter, now: Date,
        using rng: inout SeededRandom
    ) throws {
        let vectors = model.vectors[space.name] ?? [:]
        // A stored vector now and then (its node must come first, or tie at distance 0).
        var query = GraphWorkload.vector(seed: rng.next(), space: GraphWorkload.spaces.firstIndex(of: space)!)
        if Bool.random(using: &rng), let stored = vectors.values.sorted(by: { $0.lexicographicallyPrecedes($1) }).randomElement(using: &rng) {
            query = stored
        }
        if space.metric == .cosine, query.allSatisfy({ $0 == 0 }) { query[0] = 1 }
        let k = [1, 3, 10, 100].randomElement(using: &rng)!
        let what = "nearest(k: \(k), in: \(space.name), namespace: \(namespace), filter: \(filter.text)) at \(now.timeIntervalSince1970)"
        var truth: [(id: NodeID, distance: Double)] = []
        for (id, vector) in vectors {
            guard let node = model.nodes[id], node.namespace == namespace, !node.isExpired(at: now), filter.admits(node) else { continue }
            truth.append((id, Self.distance(query, vector, space.metric)))
        }
        truth.sort { $0.distance != $1.distance ? $0.distance < $1.distance : $0.id < $1.id }
        let result: VectorSearchResult
        do {
            result = try search(reader, query, k: k, space: space.name, namespace: namespace, filter: filter.filter)
        } catch {
            throw CampaignFailure("\(what) threw \(error)")
        }
        let expected = min(k, truth.count)
        let passing = Dictionary(uniqueKeysWithValues: truth.map { ($0.id, $0.distance) })
        var seen = Set<NodeID>()
        var previous = -Double.infinity
        for hit in result.hits {
            guard let distance = passing[hit.id] else {
                let why = model.nodes[hit.id] == nil ? "a node the model does not hold (deleted or forgotten)"
                    : vectors[hit.id] == nil ? "a node without a vector in the space in the model" : "a node the filter, namespace or expiry excludes"
                throw CampaignFailure("\(what) returned \(hit.id), \(why)")
            }
            guard seen.insert(hit.id).inserted else { throw CampaignFailure("\(what) returned \(hit.id) twice") }
            guard Self.close(Double(hit.distance), distance) else {
                throw CampaignFailure("\(what): the distance of \(hit.id) is \(hit.distance), the model's \(distance)")
            }
            guard Double(hit.distance) >= previous - 1e-4 * max(1, abs(previous)) else {
                throw CampaignFailure("\(what): hits out of order at \(hit.id) (\(result.hits.map(\.distance)))")
            }
            previous = Double(hit.distance)
        }
        guard result.hits.count <= k else { throw CampaignFailure("\(what) returned \(result.hits.count) hits") }
        if result.hits.count < expected, !(recallFloor < 1 && (result.filterExhausted || result.budgetExhausted)) {
            throw CampaignFailure("\(what) returned \(result.hits.count) hits, \(expected) pass the filter, filterExhausted \(result.filterExhausted)")
        }
        if recallFloor >= 1, result.filterExhausted != (truth.count < k) {
            throw CampaignFailure("\(what): filterExhausted \(result.filterExhausted) with \(truth.count) nodes passing the filter")
        }
        guard expected > 0 else { return }
        let kth = truth[expected - 1].distance
        let found = result.hits.filter { passing[$0.id]! <= kth || Self.close(passing[$0.id]!, kth) }.count
        let recall = Double(found) / Double(expected)
        guard recall >= recallFloor else {
            throw CampaignFailure(
                "\(what): recall \(recall) below \(recallFloor): returned \(result.hits.map(\.id)), exact \(truth.prefix(expected).map(\.id))")
        }
    }

    /// `hybridSearch` on the same reader: its messages are the plain search's over messages (same
    /// query, k and ef), and its entities are entities of the namespace the model holds, visible at
    /// `now`, each reached by hits that mention it (`entities(mentionedBy:)`), scored by the sum of
    /// 1 / (rank + 1) over them, best first.
    func checkHybrid(
        _ reader: GraphReader, _ model: RecoveredGraph, space: EmbeddingSpace, namespace: String, now: Date, using rng: inout SeededRandom
    ) throws {
        var query = GraphWorkload.vector(seed: rng.next(), space: GraphWorkload.spaces.firstIndex(of: space)!)
        if space.metric == .cosine, query.allSatisfy({ $0 == 0 }) { query[0] = 1 }
        let k = [1, 3, 10].randomElement(using: &rng)!
        let what = "hybridSearch(messages: \(k), in: \(space.name), namespace: \(namespace)) at \(now.timeIntervalSince1970)"
        let ef = max(k, Self.searchEF)
        let result: HybridSearchResult
        let plain: VectorSearchResult
        do {
            result = try reader.hybridSearch(to: query, messages: k, in: space.name, namespace: namespace, ef: ef, entityLimit: 100)
            plain = try reader.nearest(to: query, k: k, in: space.name, namespace: namespace, filter: VectorFilter(kinds: [.message]), ef: ef)
        } catch {
            throw CampaignFailure("\(what) threw \(error)")
        }
        let hits = result.messages.hits.map(\.id)
        guard hits == plain.hits.map(\.id) else { throw CampaignFailure("\(what): messages \(hits), the plain search over messages \(plain.hits.map(\.id))") }
        var previous = Double.infinity
        for found in result.entities {
            let id = found.entity.id
            guard let node = model.nodes[id], node.kind == .entity, node.namespace == namespace, !node.isExpired(at: now) else {
                throw CampaignFailure("\(what) returned entity \(id), which the model does not hold visible in \(namespace)")
            }
            var score = 0.0
            for message in found.mentionedBy {
                guard let rank = hits.firstIndex(of: message) else { throw CampaignFailure("\(what): \(id) mentioned by \(message), not a hit") }
                guard try reader.entities(mentionedBy: message).contains(where: { $0.id == id }) else {
                    throw CampaignFailure("\(what): \(message) does not mention \(id)")
                }
                score += 1 / Double(rank + 1)
            }
            guard !found.mentionedBy.isEmpty, abs(score - found.score) < 1e-9, found.score <= previous else {
                throw CampaignFailure("\(what): \(id) scored \(found.score), expected \(score) by \(found.mentionedBy), after \(previous)")
            }
            previous = found.score
        }
        // Every entity a hit mentions is listed (the limit is above what the tiny graphs hold).
        var reached = Set<NodeID>()
        for message in hits { for entity in try reader.entities(mentionedBy: message) where entity.namespace == namespace { reached.insert(entity.id) } }
        guard reached == Set(result.entities.map(\.entity.id)) else {
            throw CampaignFailure("\(what): entities \(result.entities.map(\.entity.id)), the hits mention \(reached.sorted())")
        }
    }

    static func close(_ a: Double, _ b: Double) -> Bool { abs(a - b) <= 1e-4 * max(1, abs(a), abs(b)) }

    /// The metric, in Double.
    static func distance(_ a: [Float], _ b: [Float], _ metric: DistanceMetric) -> Double {
        var (dot, normA, normB, squares) = (0.0, 0.0, 0.0, 0.0)
        for (x, y) in zip(a.map(Double.init), b.map(Double.init)) {
            dot += x * y
            normA += x * x
            normB += y * y
            squares += (x - y) * (x - y)
        }
        switch metric {
        case .cosine:
            let denominator = (normA * normB).squareRoot()
            return denominator > 0 ? 1 - dot / denominator : 1
        case .dot: return -dot
        case .l2: return squares
        }
    }

    /// A random filter over the workload's kinds, conversations, creation times (`times`, the
    /// model's, sorted), memory kinds, importances and a predicate.
    static func randomFilter(times: [Date], using rng: inout SeededRandom) -> Filter {
        var result = Filter()
        var parts: [String] = []
        func range() -> Range<Date> {
            guard let first = times.first, let last = times.last else { return Date(timeIntervalSince1970: 0)..<Date() }
            let low = first.addingTimeInterval(Double.random(in: -20...(last.timeIntervalSince1970 - first.timeIntervalSince1970), using: &rng).rounded())
            return low..<low.addingTimeInterval(Double(Int.random(in: 0...400, using: &rng)))
        }
        switch Int.random(in: 0..<7, using: &rng) {
        case 0:
            let kinds: [NodeKind] = [.message, .memory, .entity, .conversation, .summary]
            result.filter.kinds = Set(kinds.shuffled(using: &rng).prefix(Int.random(in: 1...3, using: &rng)))
            parts.append("kinds \(result.filter.kinds!.map(\.name).sorted())")
        case 1:
            result.filter.conversation = NodeID("c\(Int.random(in: 0..<8, using: &rng))")
            parts.append("conversation \(result.filter.conversation!)")
        case 2:
            result.filter.createdIn = range()
            parts.append("createdIn \(result.filter.createdIn!)")
        case 3:
            result.filter.memoryKinds = Set(Memory.Kind.allCases.shuffled(using: &rng).prefix(Int.random(in: 1...2, using: &rng)))
            parts.append("memoryKinds \(result.filter.memoryKinds!.map(\.rawValue).sorted())")
        case 4:
            result.filter.minImportance = Double(Int.random(in: 0...10, using: &rng)) / 10
            parts.append("minImportance \(result.filter.minImportance!)")
        case 5:
            let digit = Character("\(Int.random(in: 0...9, using: &rng))")
            result.filter.predicate = { $0.id.description.last == digit }
            parts.append("predicate (id ends in \(digit))")
        default:
            // Two conditions at once: a kind or memory condition with a range.
            if Bool.random(using: &rng) {
                result.filter.kinds = [.message]
                parts.append("kinds [message]")
            } else {
                result.filter.minImportance = 0.5
                parts.append("minImportance 0.5")
            }
            result.filter.createdIn = range()
            parts.append("createdIn \(result.filter.createdIn!)")
        }
        result.text = parts.joined(separator: ", ")
        return result
    }
}
