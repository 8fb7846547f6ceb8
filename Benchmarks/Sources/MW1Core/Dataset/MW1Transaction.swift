/// One line of `ingest.jsonl`: the nodes, edges and the one embedding a store writes in one
/// transaction. Nodes come in file order (a conversation before its first message, an entity
/// after the message that first mentions it); every edge's endpoints exist once its nodes do.
public struct MW1Transaction: Sendable {
    /// `"tx"`, the line's index in the file.
    public var number: Int
    /// The nodes, in file order.
    public var nodes: [MW1Node]
    /// The edges, in file order.
    public var edges: [MW1Edge]
    /// The embedding of the transaction's message or memory (row `number` of `vectors.fvecs`).
    public var embedding: MW1Embedding?

    /// A transaction with these parts.
    public init(number: Int, nodes: [MW1Node], edges: [MW1Edge], embedding: MW1Embedding?) {
        (self.number, self.nodes, self.edges, self.embedding) = (number, nodes, edges, embedding)
    }
}

/// A node's embedding: unit-length Float32 (cosine = dot product), `dim` components.
public struct MW1Embedding: Sendable {
    /// The id of the message or memory it belongs to.
    public var owner: String
    /// The components; a slice of the dataset's one vector array (so indices need not start at 0:
    /// read it with `withUnsafeBufferPointer`).
    public var vector: ArraySlice<Float>

    /// An embedding of `owner`.
    public init(owner: String, vector: ArraySlice<Float>) {
        (self.owner, self.vector) = (owner, vector)
    }
}

/// One line of `forget.jsonl`: a conversation or a memory to forget.
public struct MW1ForgetItem: Sendable, Equatable {
    /// What can be forgotten.
    public enum Kind: String, Sendable {
        /// A conversation, with its messages, their edges and embeddings, and the memories
        /// derived from them.
        case conversation
        /// One memory.
        case memory
    }

    /// The kind.
    public var kind: Kind
    /// The id.
    public var id: String

    /// An item to forget.
    public init(kind: Kind, id: String) {
        (self.kind, self.id) = (kind, id)
    }
}
