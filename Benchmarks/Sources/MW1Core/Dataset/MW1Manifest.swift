/// `manifest.json`: what the generator made, and the size and sha256 of every other file.
public struct MW1Manifest: Sendable, Decodable, Equatable {
    /// `"MW1"`.
    public var format: String
    /// The generator's version.
    public var generatorVersion: String
    /// The seed.
    public var seed: Int
    /// `--messages`.
    public var messages: Int
    /// The embedding dimension (384).
    public var dim: Int
    /// `"cosine"`.
    public var metric: String
    /// The instant the queries run at, in milliseconds.
    public var nowMs: Int64
    /// The default k of the vector phases.
    public var k: Int
    /// Record counts.
    public var counts: Counts
    /// Queries per phase, by `"phase"` value.
    public var queries: [String: Int]
    /// Size and sha256 of every other file, by file name.
    public var files: [String: FileEntry]

    /// `"counts"`.
    public struct Counts: Sendable, Decodable, Equatable {
        /// Lines of `ingest.jsonl`.
        public var transactions: Int
        /// Conversation nodes.
        public var conversations: Int
        /// Message nodes.
        public var messages: Int
        /// Entity nodes.
        public var entities: Int
        /// Memory nodes.
        public var memories: Int
        /// MENTIONS edges.
        public var mentions: Int
        /// REPLIES_TO edges.
        public var replies: Int
        /// Rows of `vectors.fvecs`.
        public var vectors: Int
        /// Rows of `queries.fvecs`.
        public var queryVectors: Int
        /// Memories with `expires_at <= now_ms`.
        public var expiredMemories: Int

        enum CodingKeys: String, CodingKey {
            case transactions, conversations, messages, entities, memories, mentions, replies, vectors
            case queryVectors = "query_vectors"
            case expiredMemories = "expired_memories"
        }
    }

    /// One entry of `"files"`.
    public struct FileEntry: Sendable, Decodable, Equatable {
        /// The file's size in bytes.
        public var bytes: Int
        /// Its sha256, lowercase hex (checked by `mw1_check.py`, not by the loader).
        public var sha256: String
    }

    enum CodingKeys: String, CodingKey {
        case format, seed, messages, dim, metric, k, counts, queries, files
        case generatorVersion = "generator_version"
        case nowMs = "now_ms"
    }

    /// The dataset's short name for the JSON lines: `mw1-100k-s1` for 100,000 messages and seed 1
    /// (`1m` for a million; the plain count when it is not a multiple of 1,000).
    public var name: String {
        let size: String
        if messages >= 1_000_000 && messages % 1_000_000 == 0 {
            size = "\(messages / 1_000_000)m"
        } else if messages >= 1000 && messages % 1000 == 0 {
            size = "\(messages / 1000)k"
        } else {
            size = "\(messages)"
        }
        return "mw1-\(size)-s\(seed)"
    }
}
