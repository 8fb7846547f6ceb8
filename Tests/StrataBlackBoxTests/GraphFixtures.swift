import Foundation
import StrataEngine
import StrataGraph
import StrataTestSupport
import Testing

/// A memory store in a temporary directory with a fixed clock, as the README's examples use it.
struct GraphHarness {
    let directory: TemporaryDirectory
    var store: MemoryStore
    static let base = Date(timeIntervalSince1970: 1_760_000_000)
    static let now = base.addingTimeInterval(86_400)
    var path: String { directory.appending("graph") }

    init(versionRetention: Int = 16) throws {
        directory = try TemporaryDirectory(prefix: "strata-blackbox-graph")
        store = try MemoryStore.open(at: directory.appending("graph"), configuration: Self.configuration(versionRetention))
    }

    static func configuration(_ versionRetention: Int = 16) -> MemoryStore.Configuration {
        MemoryStore.Configuration(versionRetention: versionRetention, clock: { GraphHarness.now })
    }

    mutating func reopen(versionRetention: Int = 16) throws {
        try store.close()
        store = try MemoryStore.open(at: path, configuration: Self.configuration(versionRetention))
    }
}

/// One tenant's small memory: a conversation of three messages (the second replies to the first),
/// an entity "Paris" mentioned by the first and third, a memory distilled from the first, and a
/// vector per message in the space "text".
struct Tenant {
    let namespace: String
    var chat: NodeID { NodeID("\(namespace)-chat") }
    var messages: [NodeID] { (1...3).map { NodeID("\(namespace)-m\($0)") } }
    var paris: NodeID { NodeID("\(namespace)-paris") }
    var memory: NodeID { NodeID("\(namespace)-memory") }
    var all: Set<NodeID> { Set([chat, paris, memory] + messages) }
    /// Each tenant's vectors point a different way, so that a search for one finds the other's last.
    var direction: [Float] { namespace == "alice" ? [1, 0, 0] : [0, 1, 0] }

    func build(in store: MemoryStore) throws {
        let base = GraphHarness.base
        try store.define(EmbeddingSpace(name: "text", model: "test-model", dimension: 3, metric: .cosine))
        try store.write { graph in
            try graph.insert(Node(id: chat, namespace: namespace, createdAt: base, .conversation(Conversation(title: "Trip of \(namespace)"))))
            try graph.insert(Node(id: paris, namespace: namespace, createdAt: base, .entity(Entity(type: .place, name: "Paris"))))
            for (i, id) in messages.enumerated() {
                try graph.insert(Node(
                    id: id, namespace: namespace, createdAt: base.addingTimeInterval(Double(i + 1) * 60),
                    .message(Message(conversation: chat, role: i % 2 == 0 ? .user : .assistant,
                                     content: .text("\(namespace) says \(i)"), parent: i == 1 ? messages[0] : nil))))
                try graph.setVector(direction.enumerated().map { $0.element + Float($0.offset == 2 ? i : 0) * 0.1 }, for: id, in: "text")
            }
            try graph.insert(Node(id: memory, namespace: namespace, createdAt: base.addingTimeInterval(600),
                                  .memory(Memory(kind: .semantic, text: "\(namespace) likes Paris", importance: 0.7, source: messages[0]))))
            try graph.addEdge(Edge(from: messages[0], type: .mentions, to: paris, validFrom: base))
            try graph.addEdge(Edge(from: messages[2], type: .mentions, to: paris, validFrom: base))
        }
    }
}

/// Runs a query that, for an id the store no longer holds, may either return nothing or throw
/// `missingRecord`; returns what it returned (empty for the error).
func emptyOrMissing<T>(_ body: () throws -> [T], sourceLocation: SourceLocation = #_sourceLocation) -> [T] {
    do { return try body() } catch let error as StrataError where error.code == .missingRecord {
        return []
    } catch {
        Issue.record("unexpected error \(error)", sourceLocation: sourceLocation)
        return []
    }
}

/// Whether `haystack` contains `needle` as a contiguous run of bytes.
func containsRun(_ haystack: [UInt8], _ needle: [UInt8]) -> Bool {
    guard !needle.isEmpty, haystack.count >= needle.count else { return false }
    for start in 0...(haystack.count - needle.count) where haystack[start] == needle[0] {
        if haystack[start..<(start + needle.count)].elementsEqual(needle) { return true }
    }
    return false
}

/// Every tree of the database, read raw (as any engine user can), and the entries whose key or
/// value holds `needle`.
func rawEntries(holding needle: String, in database: Database) throws -> [String] {
    var found: [String] = []
    for name in try database.treeNames() {
        guard let tree = try database.existingTree(name) else { continue }
        var cursor = try tree.scan(prefix: [UInt8]())
        while let entry = try cursor.next() {
            if containsRun(entry.key, Array(needle.utf8)) || containsRun(entry.value, Array(needle.utf8)) {
                found.append("\(name): \(entry.key)")
            }
        }
    }
    return found
}
