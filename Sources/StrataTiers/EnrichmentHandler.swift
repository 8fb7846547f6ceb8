import StrataEngine
import StrataGraph

/// Derives knowledge from one message for one ``EnrichmentKind``: the application's embedding
/// model, entity extractor or own job (``EmbeddingHandler`` and ``EntityExtractionHandler`` wrap
/// the first two).
///
/// A handler writes into the knowledge database's active tier through `knowledge`, after the
/// coordinator has stored the message's reference node there (id = the message's id, kind
/// ``DatabaseCoordinator/messageReferenceKind``). Its writes must be idempotent, keyed by the
/// message (the same ids, replacing edges and vectors): the queue runs every task at least once,
/// and again after a crash between the knowledge write and the task's deletion, or on
/// ``DatabaseCoordinator/rebuildKnowledge()``; and when another task of its batch fails, in
/// the batch's discarded transaction and again alone.
public protocol EnrichmentHandler: Sendable {
    /// The kind of task this handler runs.
    var kind: EnrichmentKind { get }
    /// Writes what `message` (a message node of the conversations database) yields into `knowledge`.
    /// Throwing leaves the task queued for a retry (up to the configured attempts).
    func enrich(_ message: Node, knowledge: GraphTransaction) throws
}

/// The application's embedding model: text in, vector out (deterministic ones in tests).
public protocol EmbeddingModel: Sendable {
    /// The space the vectors belong to (defined in the knowledge database on first use).
    var space: EmbeddingSpace { get }
    /// The embedding of `text`, of ``space``'s dimension.
    func embed(_ text: String) throws -> [Float]
}

/// An entity an extractor found in a text.
public struct ExtractedEntity: Hashable, Sendable {
    /// Its type (person, place, ...).
    public var type: Entity.EntityType
    /// Its name as the text spells it.
    public var name: String
    /// An entity of `type` called `name`.
    public init(type: Entity.EntityType, name: String) {
        self.type = type
        self.name = name
    }
}

/// The application's entity extractor (deterministic ones in tests).
public protocol EntityExtractor: Sendable {
    /// The entities `text` mentions.
    func entities(in text: String) throws -> [ExtractedEntity]
}

/// Runs ``EnrichmentKind/embed`` tasks: stores the model's vector for the message's reference
/// node (replacing any earlier one).
public struct EmbeddingHandler: EnrichmentHandler {
    /// The model.
    public let model: any EmbeddingModel
    /// ``EnrichmentKind/embed``.
    public var kind: EnrichmentKind { .embed }
    /// A handler embedding with `model`.
    public init(model: any EmbeddingModel) { self.model = model }

    /// Defines the model's space if needed and sets the message's vector in it.
    public func enrich(_ message: Node, knowledge: GraphTransaction) throws {
        guard let text = message.message?.content.text else { return }
        try knowledge.define(model.space)
        try knowledge.setVector(try model.embed(text), for: message.id, in: model.space.name)
    }
}

/// Runs ``EnrichmentKind/extractEntities`` tasks: one entity node per distinct entity (its id
/// from ``entityID(namespace:type:name:)``, so a replay finds it again) and a `MENTIONS` edge
/// from the message's reference node to each.
public struct EntityExtractionHandler: EnrichmentHandler {
    /// The extractor.
    public let extractor: any EntityExtractor
    /// ``EnrichmentKind/extractEntities``.
    public var kind: EnrichmentKind { .extractEntities }
    /// A handler extracting with `extractor`.
    public init(extractor: any EntityExtractor) { self.extractor = extractor }

    /// The id of the entity of `type` called `name` in `namespace`: the same for the same
    /// entity (names compare case-insensitively), whichever message found it.
    public static func entityID(namespace: String, type: Entity.EntityType, name: String) -> NodeID {
        NodeID("entity/\(namespace)/\(type.name)/\(name.lowercased())")
    }

    /// Stores each entity `message` mentions (if new) and the message's `MENTIONS` edge to it.
    public func enrich(_ message: Node, knowledge: GraphTransaction) throws {
        guard let text = message.message?.content.text else { return }
        for found in Set(try extractor.entities(in: text)) {
            let id = Self.entityID(namespace: message.namespace, type: found.type, name: found.name)
            if try knowledge.node(id) == nil {
                try knowledge.insert(Node(
                    id: id, namespace: message.namespace, createdAt: message.createdAt,
                    .entity(Entity(type: found.type, name: found.name))))
            }
            try knowledge.addEdge(Edge(from: message.id, type: .mentions, to: id, validFrom: message.createdAt))
        }
    }
}
