import Foundation
import StrataEngine
import StrataRandom

/// Generates the demo's agent memory: conversations of timestamped messages that mention
/// entities, with an embedding for some messages.
///
/// Every key is a ``TupleKey`` (FORMAT.md, "Key tuples"), so that byte order is tuple order
/// (a conversation's messages sort by time) and prefix scans are exact. Layout, `(…)` a tuple:
/// ```
/// nodes       ("chat", 42)                                       {"kind":"chat",...}
///             ("msg", 42, 2026-01-01T00:00:00.000Z, 17)           {"kind":"message",...}
///             ("entity", "person", "ada-3")                       {"kind":"entity",...}
/// edges       ("out", ("msg", 42, …, 17), "mentions", ("entity", "person", "ada-3"))   confidence
///             ("in", ("entity", "person", "ada-3"), "mentioned_in", ("msg", 42, …, 17))
/// embeddings  ("msg", 42, 2026-01-01T00:00:00.000Z, 17)           1536 x Float32 LE (6 KiB)
/// ```
struct DemoDataset {
    static let dimensions = 1536

    /// One message and everything written with it.
    struct Message {
        var key: TupleKey
        var value: [UInt8]
        var conversation: Int
        /// Set when this message starts its conversation: the chat node to write.
        var chat: (key: [UInt8], value: [UInt8])?
        /// Entity nodes mentioned for the first time.
        var newEntities: [(key: [UInt8], value: [UInt8])]
        /// Edges to write (both directions).
        var edges: [(key: [UInt8], value: [UInt8])]
        var embedding: [UInt8]?
    }

    let messageCount: Int
    let conversationCount: Int
    let entityCount: Int
    let embeddingStride: Int
    let embeddingCount: Int
    private var random: SplitMix64
    private var clock: UInt64 = 1_767_225_600_000  // 2026-01-01T00:00:00Z in milliseconds
    private var produced = 0
    private var startedConversations = Set<Int>()
    private var knownEntities = Set<Int>()
    private var embedded = 0

    init(messages: Int, embeddings: Int, seed: UInt64) {
        messageCount = messages
        conversationCount = max(1, messages / 250)
        entityCount = max(20, messages / 50)
        embeddingStride = max(1, messages / max(embeddings, 1))
        embeddingCount = embeddings
        random = SplitMix64(seed: seed)
    }

    /// The conversation's name in values and the report.
    static func conversationID(_ c: Int) -> String { "c" + pad(c, 6) }
    static func chatKey(_ c: Int) -> TupleKey { TupleKey("chat", c) }
    /// The key of message `id` of conversation `c`, sent at `milliseconds` since 1970.
    static func messageKey(conversation c: Int, milliseconds: UInt64, id: Int) -> TupleKey {
        TupleKey("msg", c, Date(timeIntervalSince1970: Double(milliseconds) / 1000), id)
    }
    /// The prefix of every message key of conversation `c`.
    static func messagePrefix(_ c: Int) -> [UInt8] { TupleKey.prefix("msg", c) }
    /// The time a message key holds.
    static func sentAt(ofMessageKey key: [UInt8]) throws -> Date { try TupleKey(decoding: key).value(at: 2) }
    static func outgoingEdge(from source: TupleKey, mentions target: TupleKey) -> TupleKey {
        TupleKey("out", source, "mentions", target)
    }
    static func incomingEdge(to target: TupleKey, mentionedIn source: TupleKey) -> TupleKey {
        TupleKey("in", target, "mentioned_in", source)
    }
    /// The prefix of every outgoing edge of the message with key `messageKey`.
    static func edgePrefix(of messageKey: TupleKey) -> [UInt8] { TupleKey.prefix("out", messageKey) }

    /// The next message, or nil after the last.
    mutating func next() -> Message? {
        guard produced < messageCount else { return nil }
        let id = produced
        produced += 1
        clock += UInt64.random(in: 1_000...90_000, using: &random)
        // A few conversations are busy, most are quiet: skew the choice towards low numbers.
        let skew = Double.random(in: 0..<1, using: &random)
        let conversation = min(conversationCount - 1, Int(Double(conversationCount) * skew * skew))
        let key = DemoDataset.messageKey(conversation: conversation, milliseconds: clock, id: id)
        let role = id % 2 == 0 ? "user" : "assistant"
        let text = sentence(words: Int.random(in: 8...70, using: &random))
        let value = Array(
            #"{"kind":"message","conversation":"\#(DemoDataset.conversationID(conversation))","role":"\#(role)","ts":\#(clock),"text":"\#(text)"}"#
                .utf8)

        var message = Message(key: key, value: value, conversation: conversation, chat: nil, newEntities: [], edges: [])
        if startedConversations.insert(conversation).inserted {
            let title = sentence(words: Int.random(in: 2...6, using: &random))
            message.chat = (
                DemoDataset.chatKey(conversation).bytes,
                Array(#"{"kind":"chat","title":"\#(title)","created":\#(clock)}"#.utf8)
            )
        }
        for _ in 0..<Int.random(in: 0...3, using: &random) {
            let entity = Int.random(in: 0..<entityCount, using: &random)
            let entityKey = entityKey(entity)
            if knownEntities.insert(entity).inserted {
                let kind = DemoDataset.entityKinds[entity % DemoDataset.entityKinds.count]
                message.newEntities.append(
                    (entityKey.bytes, Array(#"{"kind":"entity","type":"\#(kind)","firstSeen":\#(clock)}"#.utf8)))
            }
            let confidence = String(Double(Int.random(in: 50...99, using: &random)) / 100)
            message.edges.append((DemoDataset.outgoingEdge(from: key, mentions: entityKey).bytes, Array(confidence.utf8)))
            message.edges.append((DemoDataset.incomingEdge(to: entityKey, mentionedIn: key).bytes, []))
        }
        if id % embeddingStride == 0, embedded < embeddingCount {
            embedded += 1
            message.embedding = embedding()
        }
        return message
    }

    /// A random unit vector of ``dimensions`` Float32s, little-endian.
    private mutating func embedding() -> [UInt8] {
        var vector = (0..<DemoDataset.dimensions).map { _ in Float.random(in: -1...1, using: &random) }
        let norm = vector.reduce(0) { $0 + $1 * $1 }.squareRoot()
        if norm > 0 { vector = vector.map { $0 / norm } }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(vector.count * 4)
        for component in vector {
            let bits = component.bitPattern.littleEndian
            withUnsafeBytes(of: bits) { bytes.append(contentsOf: $0) }
        }
        return bytes
    }

    private func entityKey(_ entity: Int) -> TupleKey {
        let kind = DemoDataset.entityKinds[entity % DemoDataset.entityKinds.count]
        let name = DemoDataset.names[(entity / DemoDataset.entityKinds.count) % DemoDataset.names.count]
        return TupleKey("entity", kind, "\(name)-\(entity / (DemoDataset.entityKinds.count * DemoDataset.names.count))")
    }

    private mutating func sentence(words count: Int) -> String {
        var words: [String] = []
        words.reserveCapacity(count)
        for _ in 0..<count { words.append(DemoDataset.vocabulary.randomElement(using: &random)!) }
        return words.joined(separator: " ")
    }

    static func pad(_ value: Int, _ width: Int) -> String {
        let digits = String(value)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }

    static let entityKinds = ["person", "project", "place", "tool", "topic"]
    static let names = [
        "ada", "grace", "alan", "edsger", "barbara", "ken", "dennis", "margaret", "linus", "radia",
        "tim", "frances", "donald", "leslie", "john", "sophie", "niklaus", "hedy", "katherine", "guido",
    ]
    static let vocabulary = [
        "the", "agent", "memory", "should", "remember", "that", "user", "prefers", "short", "answers",
        "about", "deploy", "schedule", "meeting", "tomorrow", "budget", "review", "design", "storage",
        "engine", "index", "vector", "search", "summary", "project", "deadline", "friday", "notes",
        "please", "could", "you", "check", "again", "latest", "version", "error", "log", "server",
        "crash", "recovery", "snapshot", "checkpoint", "and", "with", "for", "from", "into", "this",
        "week", "plan", "draft", "email", "reply", "customer", "ticket", "priority", "high", "low",
    ]
}
