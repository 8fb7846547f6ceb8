import Foundation
import StrataEngine
import StrataGraph

/// Forgets one conversation and then asks every kind of query whether it still returns any node
/// of it (the conversation, its messages, and the memories distilled from them): get, the window,
/// the namespace's listings, entity mentions, expansion, vector search, versions, and the graph
/// verify. Each check is printed with what it found; any leftover fails the demo.
struct DemoForgetProof {
    let store: MemoryStore
    let conversation: NodeID
    /// A query vector to search with before and after.
    let probe: [Float]
    let report: DemoReport

    /// One check after the forget.
    private struct Check {
        var name: String
        var found: Int
        var note: String
    }

    func run() throws {
        // What the forget must take: the conversation and everything hanging off it, expired or not.
        let everything = try store.reader(includingExpired: true)
        guard let record = try everything.node(conversation) else { throw CommandFailure("demo: \(conversation) is missing") }
        let namespace = record.namespace
        var doomed: Set<NodeID> = [conversation]
        var memories = 0
        var pending = [conversation]
        while let id = pending.popLast() {
            for child in try everything.dependents(of: id) where doomed.insert(child.id).inserted {
                pending.append(child.id)
                if child.kind == .memory { memories += 1 }
            }
        }
        let messages = try everything.messages(in: conversation)
        var entities: [NodeID: Int] = [:]
        for message in messages {
            for entity in try everything.neighbours(of: message.id, type: .mentions) {
                entities[entity] = try everything.node(entity)?.entity?.mentionCount ?? 0
            }
        }
        // A probe that certainly hits the conversation: one of its messages' own vector.
        let ownVector = try messages.last.flatMap { try everything.vector(of: $0.id, in: DemoEmbedding.spaceName) } ?? probe
        let hitsBefore = try everything.nearest(to: ownVector, k: 10, in: DemoEmbedding.spaceName, namespace: namespace)
            .hits.filter { doomed.contains($0.id) }.count

        let (deleted, forgetTime) = try Measurement.time { try store.forget(conversation) }
        var lines = [
            "forget(\(conversation)) deleted \(deleted) nodes in one transaction: the conversation, \(messages.count) messages, "
                + "\(memories) memories derived from them, with their edges, vectors, versions and index entries",
            "before it: \(entities.count) entities were mentioned by those messages; a vector search with one of its messages' "
                + "vectors returned \(hitsBefore) of its nodes in the top 10",
        ]

        let (checks, checkTime) = try Measurement.time { try self.checks(doomed: doomed, entities: entities, namespace: namespace, probes: [probe, ownVector]) }
        var table = Table("after the forget: query", "forgotten nodes returned", "")
        table.leftAligned = [0, 2]
        for check in checks { table.add(check.name, "\(check.found)", check.note) }
        lines += table.render(indent: "").split(separator: "\n").map(String.init)
        lines.append("(the checks took \(Measurement.duration(checkTime)) in all)")
        report.section("Forget a conversation, then ask every query for it", forgetTime, lines)
        let leaks = checks.filter { $0.found != 0 }
        guard leaks.isEmpty, deleted == doomed.count else {
            throw CommandFailure("demo: after the forget, \(leaks.map(\.name).joined(separator: ", ")) still returned forgotten nodes (deleted \(deleted) of \(doomed.count))")
        }
    }

    private func checks(doomed: Set<NodeID>, entities: [NodeID: Int], namespace: String, probes: [[Float]]) throws -> [Check] {
        let reader = try store.reader()
        let everything = try store.reader(includingExpired: true)
        func count(_ ids: some Sequence<NodeID>) -> Int { ids.filter { doomed.contains($0) }.count }
        var checks: [Check] = []

        let got = try doomed.filter { try reader.node($0) != nil || everything.node($0) != nil }.count
        checks.append(Check(name: "get each of the \(doomed.count) ids", found: got, note: "also with expired nodes included"))

        var window = "answers"
        do { _ = try reader.messages(in: conversation) } catch let error as StrataError { window = "throws \(error.code)" }
        checks.append(Check(name: "window of \(conversation)", found: window == "answers" ? 1 : 0, note: window))

        checks.append(Check(
            name: "every node of namespace \(namespace)", found: try count(everything.nodeIDs(in: namespace)),
            note: "\(try everything.count(in: namespace)) nodes listed"))
        checks.append(Check(
            name: "memories by importance", found: try count(everything.memories(in: namespace).map(\.id)), note: ""))
        checks.append(Check(name: "dependents of \(conversation)", found: try count(everything.dependents(of: conversation).map(\.id)), note: ""))

        var mentioning = 0
        var remaining = 0
        var before = 0
        for (entity, mentions) in entities {
            mentioning += try count(everything.mentionIDs(of: entity))
            remaining += try everything.node(entity)?.entity?.mentionCount ?? 0
            before += mentions
        }
        checks.append(Check(
            name: "mentions of the \(entities.count) entities", found: mentioning,
            note: "their mention counts went from \(before) to \(remaining)"))

        var expanded = 0
        var reached = 0
        for entity in entities.keys {
            let nodes = try everything.expand(from: entity, hops: 2, direction: .both, limit: 10_000)
            reached += nodes.count
            expanded += count(nodes.map(\.id))
        }
        checks.append(Check(
            name: "2-hop expansion from each entity", found: expanded, note: "\(reached) nodes reached, both directions"))

        var hits = 0
        for probe in probes {
            hits += try count(everything.nearest(to: probe, k: 50, in: DemoEmbedding.spaceName, namespace: namespace).hits.map(\.id))
        }
        let filtered = try everything.nearest(
            to: probes[0], k: 10, in: DemoEmbedding.spaceName, namespace: namespace,
            filter: VectorFilter(conversation: conversation))
        checks.append(Check(
            name: "vector search (top 50, two probes)", found: hits + filtered.hits.count,
            note: "and \(filtered.hits.count) hits filtered to the conversation"))

        let versions = try doomed.reduce(0) { $0 + (try everything.versions(of: $1).count) }
        checks.append(Check(name: "versions of each id", found: versions, note: ""))

        let verification = try store.verify()
        checks.append(Check(
            name: "graph verify", found: verification.problems.count,
            note: verification.isSound ? "sound (problems found: 0)" : verification.problems.first ?? ""))
        return checks
    }
}
