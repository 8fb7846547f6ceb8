import Foundation
import StrataEngine
import StrataGraph

/// The demo's queries on the reopened store, each timed and printed with what it returned: a
/// conversation window, an entity's mentions, a 2-hop expansion, memories by importance, the vector
/// searches (``DemoVectorSearch``), the expiry sweep, then ``DemoForgetProof`` and the graph verify.
struct DemoQueries {
    let store: MemoryStore
    let tally: DemoDataset.Tally
    /// The queries' time: an hour after the last message.
    let now: Date
    let report: DemoReport
    /// The namespace the queries look at (the first).
    let namespace = DemoDataset.namespaces[0]

    func run() throws {
        print("Queries (namespace \(namespace), at \(DemoReport.time(now)) UTC; each on a new snapshot)\n")
        let conversation = busiestConversation()
        try window(of: conversation)
        try mentions()
        try expansion()
        try topMemories()
        let probe = try DemoVectorSearch(store: store, namespace: namespace, report: report).run()
        try expirySweep()
        let proof = DemoForgetProof(store: store, conversation: conversation, probe: probe, report: report)
        try proof.run()
        let (verification, verifyTime) = try Measurement.time { try store.verify() }
        report.section(
            "Graph verify: every index entry points at its record, every record has exactly its entries", verifyTime,
            [
                "\(verification.isSound ? "sound" : "NOT SOUND"): \(verification.nodes) nodes, \(verification.edges) edges, "
                    + "\(verification.vectors) vectors, \(verification.indexEntries) index entries checked"
            ] + verification.problems.prefix(5))
        guard verification.isSound else { throw CommandFailure("demo: the graph verify found \(verification.problems.count) problems") }
    }

    /// The conversation of ``namespace`` with the most messages.
    private func busiestConversation() -> NodeID {
        tally.messagesIn.filter { tally.namespaceOf[$0.key] == namespace }
            .max { $0.value != $1.value ? $0.value < $1.value : $0.key > $1.key }?.key
            ?? tally.messagesIn.max { $0.value < $1.value }!.key
    }

    private func window(of conversation: NodeID) throws {
        let ((title, window), time) = try Measurement.time { () throws -> (String, [Node]) in
            let reader = try store.reader()
            let title = try reader.node(conversation)?.conversation?.title ?? "?"
            return (title, try reader.messages(in: conversation, limit: 8, reverse: true))
        }
        let total = tally.messagesIn[conversation] ?? 0
        report.section(
            "Conversation window: the newest \(window.count) of \(total) messages of \(conversation) \"\(title)\"", time,
            window.map { node in
                let message = node.message!
                let reply = message.parent.map { " (replies to \($0))" } ?? ""
                return "\(DemoReport.time(node.createdAt))  \(node.id)  \(message.role)\(reply): \(DemoReport.snippet(message.content.text, 50))"
            })
    }

    private func mentions() throws {
        guard let entity = tally.mentionsOf.filter({ $0.key.description.hasPrefix(namespace + "/") })
            .max(by: { $0.value != $1.value ? $0.value < $1.value : $0.key > $1.key })?.key
        else { return }
        let ((record, newest, together), time) = try Measurement.time { () throws -> (Node?, [Node], [(entity: NodeID, count: Int)]) in
            let reader = try store.reader()
            return (try reader.node(entity), try reader.mentions(of: entity, limit: 5), try reader.coMentioned(with: entity, inNewest: 100))
        }
        let name = record?.entity.map { "\($0.type) \($0.name)" } ?? entity.description
        var lines = newest.map { "\(DemoReport.time($0.createdAt))  \($0.id)  \(DemoReport.snippet($0.message?.content.text ?? "", 50))" }
        lines.append("mentioned most often with it (in its newest 100 mentions): "
            + together.prefix(3).map { "\($0.entity) ×\($0.count)" }.joined(separator: ", "))
        report.section(
            "Mentions of \(name): \(record?.entity?.mentionCount ?? 0) messages (the newest 5, then co-mentions)", time, lines)
    }

    private func expansion() throws {
        guard let start = tally.replyWithMentions else { return }
        let (reached, time) = try Measurement.time { try store.reader().expand(from: start, hops: 2, limit: 50) }
        let records = try store.reader().nodes(reached.map(\.id))
        let describe = Dictionary(uniqueKeysWithValues: records.map { ($0.id, DemoReport.describe($0)) })
        report.section(
            "2-hop expansion from \(start) (outgoing MENTIONS and REPLIES_TO): \(reached.count) nodes", time,
            reached.map { "hop \($0.depth) via \($0.via): \($0.id), \(describe[$0.id] ?? "?")" })
    }

    private func topMemories() throws {
        let ((top, visible, all), time) = try Measurement.time { () throws -> ([Node], Int, Int) in
            let reader = try store.reader()
            return (
                try reader.memories(in: namespace, limit: 5), try reader.count(in: namespace, kind: .memory),
                try store.reader(includingExpired: true).count(in: namespace, kind: .memory)
            )
        }
        report.section(
            "Top 5 memories by importance (\(visible) visible; \(all - visible) expired ones hidden before any sweep)", time,
            top.map { node in
                let expiry = node.expiresAt.map { ", expires \(DemoReport.time($0))" } ?? ""
                return "\(node.id)  \(DemoReport.describe(node))\(expiry)"
            })
    }

    private func expirySweep() throws {
        func counts() throws -> (visible: Int, stored: Int) {
            let visible = try store.reader()
            let everything = try store.reader(includingExpired: true)
            var result = (visible: 0, stored: 0)
            for namespace in DemoDataset.namespaces {
                result.visible += try visible.count(in: namespace)
                result.stored += try everything.count(in: namespace)
            }
            return result
        }
        let before = try counts()
        let (swept, time) = try Measurement.time { try store.expire() }
        let after = try counts()
        report.section(
            "Expiry sweep (expire(now:) deletes through the ordinary delete path)", time,
            [
                "before: \(before.stored) nodes stored, \(before.visible) visible (\(before.stored - before.visible) expired, already hidden from every query)",
                "swept:  \(swept) nodes deleted",
                "after:  \(after.stored) nodes stored, \(after.visible) visible",
            ])
        guard after.stored == after.visible, before.visible == after.visible else {
            throw CommandFailure("demo: the sweep left \(after.stored - after.visible) expired nodes, or changed what was visible")
        }
    }
}
