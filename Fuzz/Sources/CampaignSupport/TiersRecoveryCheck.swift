#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import StrataEngine
import StrataGraph
import StrataTestSupport
import StrataTiers

/// The checks of `crash-campaign --workload tiers` after a simulated power loss: the tiered store
/// reopens (its recovery finishing or undoing every journaled move), every record of the
/// ``TiersModel`` reads exactly once under every ``TierHint`` (nodes, point reads, messages,
/// edges, nearest), nothing forgotten shows in any query, the catalog agrees with what each
/// tier returns, a full migrate then finishes with nothing pending and the same answers, and
/// every tier's own store verifies sound after the close.
public enum TiersRecoveryCheck {
    /// Opens the tiered store in `root` of `image` at `now` and runs every check; nil, or the violation.
    public static func check(image: MemoryFileSystem, root: String, model: TiersModel, now: Date) -> String? {
        let fileSystem = CrashSimulatingFileSystem(startingFrom: image)
        let clock = TiersClock(now)
        let configuration = TiersWorkloadRunner.configuration(fileSystem: fileSystem, clock: clock)
        var stage = "open after the power loss"
        do {
            var store = try TieredMemoryStore.open(at: root, configuration: configuration)
            stage = "reads after recovery"
            if try store.pendingMoves() != 0 { throw CampaignFailure("\(try store.pendingMoves()) moves pending after the open's recovery") }
            try reads(store, model)
            stage = "a full migrate after recovery"
            let progress = try store.migrate()
            let pending = try store.pendingMoves()
            let planned = try store.plannedMoves()
            if progress.remaining || pending != 0 || !planned.isEmpty {
                throw CampaignFailure("migrate left work: remaining \(progress.remaining), pending \(pending), planned \(planned)")
            }
            stage = "reads after the migrate"
            try reads(store, model)
            let tiers = try store.tiers().map(\.tier)
            try store.close()
            stage = "verify of each tier"
            for tier in tiers {
                let tierStore = try MemoryStore.open(at: root + "/" + tier.path, configuration: configuration.memory)
                defer { try? tierStore.close() }
                let verification = try tierStore.verify()
                if !verification.isSound { throw CampaignFailure("tier \(tier) does not verify: \(verification.problems.prefix(5))") }
            }
            stage = "reads after a reopen"
            store = try TieredMemoryStore.open(at: root, configuration: configuration)
            defer { try? store.close() }
            try reads(store, model)
        } catch {
            return "\(stage): \(error)"
        }
        return nil
    }

    /// The read checks on an open store against `model`: throws the first violation.
    // swiftlint:disable:next function_body_length cyclomatic_complexity
    public static func reads(_ store: TieredMemoryStore, _ model: TiersModel) throws {
        let ns = TiersWorkloadRunner.namespace
        func fail(_ what: String) -> CampaignFailure { CampaignFailure(what) }
        /// Every id at most once, none the model cannot hold, all it must hold (of `expected`).
        func exactlyOnce(_ ids: [NodeID], expected: [NodeID], _ query: String) throws {
            var seen = Set<NodeID>()
            for id in ids where !seen.insert(id).inserted { throw fail("\(query) returned \(id) twice") }
            for id in ids where !model.mayExist(id) {
                throw fail("\(query) returned \(id), which \(model.gone.contains(id) ? "was forgotten" : "was never acknowledged")")
            }
            for id in expected where model.mustExist(id) && !seen.contains(id) { throw fail("\(query) lost \(id)") }
        }
        let allIDs = model.records.keys.sorted()
        let all = try store.nodes(in: ns, hint: .any).map(\.id)
        try exactlyOnce(all, expected: allIDs, "nodes(.any)")
        // Each tier's answer, disjoint, together the whole; each record in the tier the catalog names.
        let summaries = try store.tiers()
        var union: [NodeID] = []
        for summary in summaries {
            let inTier = try store.nodes(in: ns, hint: .tier(summary.tier.name)).map(\.id)
            for id in inTier where try store.tier(of: id) != summary.tier {
                throw fail("nodes(.tier(\(summary.tier))) returned \(id), which the catalog places in \(try store.tier(of: id))")
            }
            union += inTier
        }
        try exactlyOnce(union, expected: allIDs, "the tiers' nodes together")
        let counted = summaries.reduce(0) { $0 + $1.count }
        let sure = model.records.keys.filter(model.mustExist).count
        if counted < sure || counted > sure + model.uncertain.count {
            throw fail("the tiers count \(counted) records (\(summaries.map { "\($0.tier) \($0.count)" })); the model has \(sure) and \(model.uncertain.count) uncertain")
        }
        let activeIDs = try store.nodes(in: ns, hint: .active).map(\.id)
        try exactlyOnce(activeIDs, expected: try allIDs.filter { try store.tier(of: $0) == .active }, "nodes(.active)")
        // Time ranges: the recent month, an older span, and everything.
        let now = TiersWorkloadRunner.start
        let newest = model.records.values.map(\.createdAt).max() ?? now
        for range in [newest.addingTimeInterval(-30 * 86_400)..<newest.addingTimeInterval(1), now.addingTimeInterval(-300 * 86_400)..<now.addingTimeInterval(-100 * 86_400),
                      Date(timeIntervalSince1970: 0)..<newest.addingTimeInterval(1)] {
            let found = try store.nodes(in: ns, createdIn: range, hint: .timeRange(range)).map(\.id)
            try exactlyOnce(found, expected: allIDs.filter { range.contains(model.records[$0]!.createdAt) }, "nodes(createdIn: \(range), .timeRange)")
            for id in found where !(model.records[id].map { range.contains($0.createdAt) } ?? true) { throw fail("nodes(createdIn: \(range)) returned \(id) created outside it") }
        }
        // Point reads under every hint.
        for id in allIDs where model.mustExist(id) {
            let record = model.records[id]!
            let tier = try store.tier(of: id)
            guard let node = try store.node(id, hint: .any) else { throw fail("node(\(id), .any) is nil; the catalog says \(tier)") }
            let read = TiersModel.Record(node, hasVector: record.hasVector)
            if read != record { throw fail("node(\(id)) reads \(read), expected \(record)") }
            if try store.node(id, hint: .tier(tier.name)) == nil { throw fail("node(\(id), .tier(\(tier))) is nil, the tier the catalog names") }
            if (try store.node(id, hint: .active) != nil) != (tier == .active) { throw fail("node(\(id), .active) disagrees with the catalog's \(tier)") }
            let at = record.createdAt..<record.createdAt.addingTimeInterval(1)
            if try store.node(id, hint: .timeRange(at)) == nil { throw fail("node(\(id), .timeRange(its creation)) is nil") }
            if record.kind == .entity, case .entity(let entity) = node.content,
               !model.uncertainMentions.contains(where: { $0.to == id }) {
                let expected = model.mentions.filter { $0.to == id }.count
                if entity.mentionCount != expected { throw fail("entity \(id) counts \(entity.mentionCount) mentions, the model \(expected)") }
            }
        }
        for id in model.gone.sorted() where !model.mayExist(id) {
            if try store.node(id, hint: .any) != nil { throw fail("node(\(id)) reads a forgotten record") }
        }
        // Messages of each conversation.
        for id in allIDs where model.mustExist(id) && model.records[id]!.kind == .conversation {
            guard let messages = try store.messages(in: id) else { throw fail("messages(in: \(id)) is nil") }
            try exactlyOnce(messages.map(\.id), expected: model.messages(of: id), "messages(in: \(id))")
            for message in messages where model.records[message.id].map({ $0.conversation != id }) ?? false { throw fail("messages(in: \(id)) returned \(message.id) of another conversation") }
        }
        // Edges: mentions exactly as the model has them; no edge reaching a forgotten record.
        for id in allIDs where model.mayExist(id) {
            guard try store.node(id, hint: .any) != nil else { continue }
            for direction in [EdgeDirection.outgoing, .incoming] {
                let edges = try store.edges(of: id, direction: direction)
                var seen = Set<String>()
                for edge in edges {
                    if !seen.insert("\(edge.from) \(edge.type) \(edge.to)").inserted { throw fail("edges(of: \(id), \(direction)) returned \(edge.from)-\(edge.type)->\(edge.to) twice") }
                    for end in [edge.from, edge.to] where !model.mayExist(end) { throw fail("edges(of: \(id), \(direction)) returned \(edge.from)-\(edge.type)->\(edge.to), reaching \(end), which is gone") }
                }
                let found = Set(edges.filter { $0.type == .mentions }.map { TiersModel.Mention(from: $0.from, to: $0.to) })
                let expected = model.mentions.filter { direction == .outgoing ? $0.from == id : $0.to == id }
                for mention in expected.subtracting(found) where !model.uncertainMentions.contains(mention) && model.mustExist(mention.from) && model.mustExist(mention.to) {
                    throw fail("edges(of: \(id), \(direction)) lost \(mention)")
                }
                for mention in found.subtracting(expected) where !model.uncertainMentions.contains(mention) {
                    throw fail("edges(of: \(id), \(direction)) returned \(mention), which the model does not have")
                }
            }
        }
        // Nearest: every vector once, nothing forgotten (small sets: the search is exact).
        let vectored = allIDs.filter { model.records[$0]!.hasVector }
        do {
            let result = try store.nearest(to: [0.5, 0.5, 0.5, 0.5], k: vectored.count + model.uncertain.count + 2, in: TiersWorkloadRunner.space, namespace: ns)
            try exactlyOnce(result.hits.map(\.id), expected: vectored, "nearest(.any)")
        } catch let error as StrataError where error.code == .missingRecord && vectored.isEmpty {
            // The power went before the space was defined.
        }
        for summary in summaries where summary.tier != .active {
            let hits: [VectorHit]
            do {
                hits = try store.nearest(to: [0.5, 0.5, 0.5, 0.5], k: vectored.count + 2, in: TiersWorkloadRunner.space, namespace: ns, hint: .tier(summary.tier.name)).hits
            } catch let error as StrataError where error.code == .missingRecord {
                continue  // a tier of entities only has no vector space
            }
            for hit in hits where try store.tier(of: hit.id) != summary.tier { throw fail("nearest(.tier(\(summary.tier))) returned \(hit.id) of \(try store.tier(of: hit.id))") }
        }
    }
}
