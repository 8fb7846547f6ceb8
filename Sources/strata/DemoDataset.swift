import Foundation
import StrataGraph
import StrataRandom

/// Generates the demo's agent memory, the same for the same seed: a few namespaces (one per user
/// or agent), each with conversations of messages (system, user, assistant and tool roles; each
/// assistant message replies to the message before it), entities the messages mention, memories of
/// the four kinds distilled from messages (working memories and some episodic ones expire), and a
/// ``DemoEmbedding`` vector for every message and memory.
///
/// Ids are readable strings (`ada/c003`, `ada/m000017`, `ada/e/grace`, `ada/mem000012`) so that
/// the report and `strata scan` show what they are.
struct DemoDataset {
    static let namespaces = ["ada", "grace", "ops-agent"]
    /// 2026-01-01T00:00:00Z: the first message.
    static let start = Date(timeIntervalSince1970: 1_767_225_600)

    /// What has been written so far, for the queries that follow.
    struct Tally {
        var conversations = 0
        var messages = 0
        var entities = 0
        var memories: [Memory.Kind: Int] = [:]
        var expiring = 0
        var mentions = 0
        var replies = 0
        var vectors = 0
        /// Messages per conversation.
        var messagesIn: [NodeID: Int] = [:]
        /// The namespace of each conversation.
        var namespaceOf: [NodeID: String] = [:]
        /// Mentions per entity.
        var mentionsOf: [NodeID: Int] = [:]
        /// A message that replies to another and mentions entities (the expansion's start).
        var replyWithMentions: NodeID?
    }

    let messageCount: Int
    let conversationsPerNamespace: Int
    let entitiesPerNamespace: Int
    private(set) var tally = Tally()
    /// The time of the newest message written.
    private(set) var clock = DemoDataset.start
    private var random: SplitMix64
    private var produced = 0
    /// The last message of each conversation (the next assistant message replies to it).
    private var lastMessage: [NodeID: (id: NodeID, role: Message.Role)] = [:]
    private var knownEntities = Set<NodeID>()

    init(messages: Int, seed: UInt64) {
        messageCount = messages
        conversationsPerNamespace = max(1, messages / (250 * DemoDataset.namespaces.count))
        entitiesPerNamespace = min(DemoDataset.names.count * DemoDataset.entityTypes.count, max(12, messages / 100))
        random = SplitMix64(seed: seed)
    }

    var isDone: Bool { produced >= messageCount }

    /// Writes the next message with everything that comes with it (its conversation and entities
    /// when new, its mention and reply edges, a memory now and then, their vectors) into `graph`.
    mutating func writeNext(into graph: GraphTransaction) throws {
        let number = produced
        produced += 1
        clock = clock.addingTimeInterval(Double(Int.random(in: 1...90, using: &random)))
        let namespace = DemoDataset.namespaces[Int.random(in: 0..<DemoDataset.namespaces.count, using: &random)]
        // A few conversations are busy, most are quiet: skew the choice towards low numbers.
        let skew = Double.random(in: 0..<1, using: &random)
        let conversationNumber = min(conversationsPerNamespace - 1, Int(Double(conversationsPerNamespace) * skew * skew))
        let conversation = NodeID("\(namespace)/c\(DemoDataset.pad(conversationNumber, 3))")
        if tally.namespaceOf[conversation] == nil {
            let title = sentence(words: Int.random(in: 2...5, using: &random))
            try graph.insert(Node(
                id: conversation, namespace: namespace, createdAt: clock,
                .conversation(Conversation(title: title, session: "session-\(conversationNumber % 4)"))))
            tally.namespaceOf[conversation] = namespace
            tally.conversations += 1
        }

        let id = NodeID("\(namespace)/m\(DemoDataset.pad(number, 6))")
        let previous = lastMessage[conversation]
        let role: Message.Role
        switch previous?.role {
        case nil: role = .system
        case .user?: role = Int.random(in: 0..<8, using: &random) == 0 ? .tool : .assistant
        default: role = .user
        }
        let text = role == .system ? "You are \(namespace)'s assistant; keep answers short." : sentence(words: Int.random(in: 6...40, using: &random))
        let content: Message.Content = role == .tool ? .toolResult(callID: "call-\(number)", output: text) : .text(text)
        let parent = role == .assistant ? previous?.id : nil
        try graph.insert(Node(
            id: id, namespace: namespace, createdAt: clock,
            .message(Message(
                conversation: conversation, role: role, content: content, parent: parent,
                tokenCount: text.utf8.count / 4 + 1))))
        try graph.setVector(DemoEmbedding.vector(of: text), for: id, in: DemoEmbedding.spaceName)
        tally.vectors += 1
        tally.messages += 1
        tally.messagesIn[conversation, default: 0] += 1
        lastMessage[conversation] = (id, role)
        if let parent {
            try graph.addEdge(Edge(from: id, type: .repliesTo, to: parent, validFrom: clock))
            tally.replies += 1
        }

        var mentioned = Set<NodeID>()
        if role != .system {
            for _ in 0..<Int.random(in: 0...3, using: &random) {
                // Popular entities come up more often.
                let pick = Double.random(in: 0..<1, using: &random)
                let entity = try entityID(Int(Double(entitiesPerNamespace) * pick * pick), in: namespace, graph: graph)
                guard mentioned.insert(entity).inserted else { continue }
                let confidence = Double(Int.random(in: 50...99, using: &random)) / 100
                try graph.addEdge(Edge(from: id, type: .mentions, to: entity, weight: confidence, validFrom: clock))
                tally.mentions += 1
                tally.mentionsOf[entity, default: 0] += 1
            }
        }
        if parent != nil, !mentioned.isEmpty, tally.replyWithMentions == nil { tally.replyWithMentions = id }

        if role != .system, number % 7 == 3 { try writeMemory(from: id, number: number, text: text, in: namespace, graph: graph) }
    }

    /// A memory distilled from message `source`: the kind cycles through the four; working
    /// memories expire 1 to 12 hours after they are made, one episodic memory in three after a day.
    private mutating func writeMemory(
        from source: NodeID, number: Int, text: String, in namespace: String, graph: GraphTransaction
    ) throws {
        let kind = Memory.Kind.allCases[(number / 7) % Memory.Kind.allCases.count]
        let importance = Double(Int.random(in: 5...100, using: &random)) / 100
        var expiresAt: Date?
        switch kind {
        case .working: expiresAt = clock.addingTimeInterval(Double(Int.random(in: 1...12, using: &random)) * 3600)
        case .episodic where Int.random(in: 0..<3, using: &random) == 0: expiresAt = clock.addingTimeInterval(86_400)
        default: break
        }
        let words = text.split(separator: " ").prefix(8).joined(separator: " ")
        let memoryText = "\(DemoDataset.memoryOpening[kind]!) \(words)"
        let id = NodeID("\(namespace)/mem\(DemoDataset.pad(number, 6))")
        try graph.insert(Node(
            id: id, namespace: namespace, createdAt: clock, expiresAt: expiresAt,
            .memory(Memory(kind: kind, text: memoryText, importance: importance, decayRate: kind == .working ? 1 : 0.01, source: source))))
        try graph.setVector(DemoEmbedding.vector(of: memoryText), for: id, in: DemoEmbedding.spaceName)
        tally.vectors += 1
        tally.memories[kind, default: 0] += 1
        if expiresAt != nil { tally.expiring += 1 }
    }

    /// The id of entity `number` of `namespace`, inserting the entity the first time.
    private mutating func entityID(_ number: Int, in namespace: String, graph: GraphTransaction) throws -> NodeID {
        let type = DemoDataset.entityTypes[number % DemoDataset.entityTypes.count]
        let name = DemoDataset.names[(number / DemoDataset.entityTypes.count) % DemoDataset.names.count]
        let label = type == .person ? name : "\(name)-\(type)"
        let id = NodeID("\(namespace)/e/\(label.lowercased())")
        if knownEntities.insert(id).inserted {
            try graph.insert(Node(
                id: id, namespace: namespace, createdAt: clock,
                .entity(Entity(type: type, name: label, aliases: type == .person ? [name.lowercased()] : []))))
            tally.entities += 1
        }
        return id
    }

    private mutating func sentence(words count: Int) -> String {
        (0..<count).map { _ in DemoDataset.vocabulary.randomElement(using: &random)! }.joined(separator: " ")
    }

    static func pad(_ value: Int, _ width: Int) -> String {
        let digits = String(value)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }

    static let memoryOpening: [Memory.Kind: String] = [
        .episodic: "On that day:", .semantic: "Fact:", .procedural: "How to:", .working: "For now:",
    ]
    static let entityTypes: [Entity.EntityType] = [.person, .product, .place, .concept, .organisation]
    static let names = [
        "Ada", "Grace", "Alan", "Edsger", "Barbara", "Ken", "Dennis", "Margaret", "Linus", "Radia",
        "Tim", "Frances", "Donald", "Leslie", "John", "Sophie", "Niklaus", "Hedy", "Katherine", "Guido",
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
