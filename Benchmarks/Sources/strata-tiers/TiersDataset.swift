import Foundation
import StrataGraph
import StrataRandom
import StrataTiers

/// The benchmark's deterministic data: conversations of ``messagesPerConversation`` messages,
/// each message with a vector in ``space``, spread over ``namespaces``; archived conversations
/// fall in the 8 (``quarters``) calendar quarters before the recent boundary, active ones in the
/// last 30 days before ``now``.
struct TiersDataset {
    /// The benchmark's fixed "now" (every tier's clock).
    static let now = Date(timeIntervalSince1970: 1_796_083_200)  // 2026-12-01 00:00 UTC
    static let namespaces = ["agent-0", "agent-1", "agent-2", "agent-3"]
    static let messagesPerConversation = 50
    let dimension: Int
    var space: EmbeddingSpace { EmbeddingSpace(name: "bench", model: "tiers-bench", dimension: dimension, metric: .cosine) }
    private var random: SplitMix64
    private var serial = 0

    init(dimension: Int, seed: UInt64) {
        self.dimension = dimension
        random = SplitMix64(seed: seed)
    }

    /// The `count` archive quarters, oldest first, ending with the last quarter wholly older
    /// than the recent boundary (90 days before ``now``).
    static func archiveQuarters(_ count: Int) -> [Tier] {
        var tiers: [Tier] = []
        var date = now.addingTimeInterval(-90 * 86_400)
        while tiers.count < count {
            let tier = Tier.archive(holding: date)
            if tier.quarterRange!.upperBound <= now.addingTimeInterval(-90 * 86_400), !tiers.contains(tier) { tiers.append(tier) }
            date = date.addingTimeInterval(-30 * 86_400)
        }
        return tiers.reversed()
    }

    /// A uniform number in `0..<1`.
    mutating func unit() -> Double {
        Double(random.next() >> 11) / Double(1 << 53)
    }

    /// A time-ordered id (UUIDv7 layout) for a node created at `date`, from the seed.
    mutating func id(at date: Date) -> NodeID {
        let milliseconds = UInt64(max(0, date.timeIntervalSince1970 * 1000))
        let tail = random.next()
        let more = random.next()
        var bytes = [UInt8](repeating: 0, count: 16)
        for index in 0..<6 { bytes[index] = UInt8(truncatingIfNeeded: milliseconds >> (40 - 8 * UInt64(index))) }
        for index in 6..<16 {
            bytes[index] = UInt8(truncatingIfNeeded: index < 12 ? tail >> (8 * UInt64(index - 6)) : more >> (8 * UInt64(index - 12)))
        }
        bytes[6] = 0x70 | (bytes[6] & 0x0F)
        bytes[8] = 0x80 | (bytes[8] & 0x3F)
        return .uuid(UUID(uuid: (bytes[0], bytes[1], bytes[2], bytes[3], bytes[4], bytes[5], bytes[6], bytes[7],
                                 bytes[8], bytes[9], bytes[10], bytes[11], bytes[12], bytes[13], bytes[14], bytes[15])))
    }

    /// A unit vector: one of 64 cluster centres (by `cluster`) plus noise, so searches have structure.
    mutating func vector(cluster: Int) -> [Float] {
        var centre = SplitMix64(seed: UInt64(cluster) &* 0x9E37_79B9_7F4A_7C15)
        var vector = (0..<dimension).map { _ in
            Float(Double(centre.next() >> 11) / Double(1 << 53) - 0.5) + Float(unit() - 0.5) * 0.3
        }
        let norm = vector.reduce(0) { $0 + $1 * $1 }.squareRoot()
        for index in vector.indices { vector[index] /= norm }
        return vector
    }

    /// A query vector near a random cluster centre.
    mutating func query() -> [Float] {
        vector(cluster: Int(random.next() % 64))
    }

    /// One conversation of `messages` messages whose times fall in `span` (in order), with a
    /// vector per message: the nodes (conversation first) and the vectors.
    mutating func conversation(messages: Int, in span: Range<Date>) -> (nodes: [Node], vectors: [(NodeID, [Float])]) {
        serial += 1
        let namespace = Self.namespaces[serial % Self.namespaces.count]
        let length = span.upperBound.timeIntervalSince(span.lowerBound)
        let start = span.lowerBound.addingTimeInterval(unit() * length * 0.9)
        let step = (span.upperBound.timeIntervalSince(start) - 1) / Double(messages + 1)
        let chat = Node(id: id(at: start), namespace: namespace, createdAt: start, .conversation(Conversation(title: "Conversation \(serial)")))
        var nodes = [chat]
        var vectors: [(NodeID, [Float])] = []
        let cluster = Int(random.next() % 64)
        for index in 0..<messages {
            let at = start.addingTimeInterval(step * Double(index + 1))
            let role: Message.Role = index % 2 == 0 ? .user : .assistant
            let text = "Message \(index) of conversation \(serial): about topic \(cluster), detail \(random.next() % 10_000)."
            let node = Node(id: id(at: at), namespace: namespace, createdAt: at,
                            .message(Message(conversation: chat.id, role: role, text: text, tokenCount: 20)))
            nodes.append(node)
            vectors.append((node.id, vector(cluster: cluster)))
        }
        return (nodes, vectors)
    }
}
