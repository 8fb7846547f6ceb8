#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Which nodes a vector search may return, beside its namespace and space.
public struct VectorFilter: Sendable {
    /// Only nodes of these kinds (nil: any).
    public var kinds: Set<NodeKind>?
    /// Only messages of this conversation.
    public var conversation: NodeID?
    /// Only nodes created in this range.
    public var createdIn: Range<Date>?
    /// Only memories of these kinds (implies ``NodeKind/memory``); the search then takes its
    /// candidates from the importance index.
    public var memoryKinds: Set<Memory.Kind>?
    /// Only memories with at least this importance (implies ``NodeKind/memory``).
    public var minImportance: Double?
    /// Only nodes this predicate accepts.
    public var predicate: (@Sendable (Node) -> Bool)?

    public init(
        kinds: Set<NodeKind>? = nil, conversation: NodeID? = nil, createdIn: Range<Date>? = nil,
        memoryKinds: Set<Memory.Kind>? = nil, minImportance: Double? = nil, predicate: (@Sendable (Node) -> Bool)? = nil
    ) {
        self.kinds = kinds
        self.conversation = conversation
        self.createdIn = createdIn
        self.memoryKinds = memoryKinds
        self.minImportance = minImportance
        self.predicate = predicate
    }

    /// Whether the filter restricts to memories (by memory kind or importance).
    var restrictsMemories: Bool { memoryKinds != nil || minImportance != nil }

    /// Whether the filter lets every node of the namespace through.
    var isEmpty: Bool {
        kinds == nil && conversation == nil && createdIn == nil && !restrictsMemories && predicate == nil
    }

    /// Every node of the namespace that has a vector in the space.
    public static let none = VectorFilter()

    func admits(_ node: Node) -> Bool {
        if let kinds, !kinds.contains(node.kind) { return false }
        if let conversation, node.message?.conversation != conversation { return false }
        if let createdIn, !createdIn.contains(node.createdAt) { return false }
        if restrictsMemories {
            guard let memory = node.memory else { return false }
            if let memoryKinds, !memoryKinds.contains(memory.kind) { return false }
            if let minImportance, memory.importance < minImportance { return false }
        }
        return predicate?(node) ?? true
    }
}

/// One result of a vector search.
public struct VectorHit: Hashable, Sendable {
    public var id: NodeID
    /// The distance under the space's metric (smaller is nearer).
    public var distance: Float
}

/// What a vector search found, and why it found fewer than `k` if it did.
public struct VectorSearchResult: Sendable {
    /// The nearest nodes, nearest first (ties by id).
    public var hits: [VectorHit]
    /// How many candidate vectors were compared.
    public var scanned: Int
    /// True when fewer than `k` hits came back because fewer than `k` nodes pass the filter
    /// (never silently: the search either returns `k` or says so here).
    public var filterExhausted: Bool
    /// True when fewer than `k` hits came back because a filtered walk of the HNSW graph used its
    /// scan budget (``VectorIndexConfiguration/filterScanBudget``) before it found `k` passing
    /// nodes: more may pass. Search again with a larger budget, or use ``GraphReader/exactNearest(to:k:in:namespace:filter:)``.
    public var budgetExhausted: Bool = false
}

/// Distance kernels over Float32 vectors.
enum Distance {
    /// The distance from `query` to a stored vector (little-endian Float32 bytes of the same
    /// dimension), read in place without decoding it into an array.
    static func between(_ query: [Float], stored: UnsafeRawBufferPointer, metric: DistanceMetric) -> Float {
        #if _endian(little)
        let count = query.count
        var dot = SIMD8<Float>()
        var norm = SIMD8<Float>()
        var queryNorm = SIMD8<Float>()
        var l2 = SIMD8<Float>()
        var index = 0
        query.withUnsafeBufferPointer { q in
            let base = UnsafeRawPointer(q.baseAddress!)
            while index + 8 <= count {
                let x = base.loadUnaligned(fromByteOffset: index * 4, as: SIMD8<Float>.self)
                let y = stored.loadUnaligned(fromByteOffset: index * 4, as: SIMD8<Float>.self)
                dot += x * y
                norm += y * y
                queryNorm += x * x
                let d = x - y
                l2 += d * d
                index += 8
            }
        }
        var (d, n, qn, e) = (dot.sum(), norm.sum(), queryNorm.sum(), l2.sum())
        while index < count {
            let x = query[index]
            let y = stored.loadUnaligned(fromByteOffset: index * 4, as: Float.self)
            d += x * y
            n += y * y
            qn += x * x
            e += (x - y) * (x - y)
            index += 1
        }
        switch metric {
        case .cosine:
            let denominator = (qn * n).squareRoot()
            return denominator > 0 ? 1 - d / denominator : 1
        case .dot: return -d
        case .l2: return e
        }
        #else
        let vector = (0..<query.count).map {
            Float(bitPattern: UInt32(littleEndian: stored.loadUnaligned(fromByteOffset: $0 * 4, as: UInt32.self)))
        }
        return between(query, vector, metric: metric)
        #endif
    }

    static func between(_ a: [Float], _ b: [Float], metric: DistanceMetric) -> Float {
        switch metric {
        case .cosine:
            let (dot, normA, normB) = dotAndNorms(a, b)
            let denominator = (normA * normB).squareRoot()
            return denominator > 0 ? 1 - dot / denominator : 1
        case .dot:
            return -dotAndNorms(a, b).dot
        case .l2:
            var sum = SIMD8<Float>()
            var index = 0
            a.withUnsafeBufferPointer { a in
                b.withUnsafeBufferPointer { b in
                    while index + 8 <= a.count {
                        let d = SIMD8<Float>(a[index..<index + 8]) - SIMD8<Float>(b[index..<index + 8])
                        sum += d * d
                        index += 8
                    }
                }
            }
            var total = sum.sum()
            while index < a.count {
                let d = a[index] - b[index]
                total += d * d
                index += 1
            }
            return total
        }
    }

    static func dotAndNorms(_ a: [Float], _ b: [Float]) -> (dot: Float, normA: Float, normB: Float) {
        var dot = SIMD8<Float>()
        var normA = SIMD8<Float>()
        var normB = SIMD8<Float>()
        var index = 0
        a.withUnsafeBufferPointer { a in
            b.withUnsafeBufferPointer { b in
                while index + 8 <= a.count {
                    let x = SIMD8<Float>(a[index..<index + 8])
                    let y = SIMD8<Float>(b[index..<index + 8])
                    dot += x * y
                    normA += x * x
                    normB += y * y
                    index += 8
                }
            }
        }
        var result = (dot.sum(), normA.sum(), normB.sum())
        while index < a.count {
            result.0 += a[index] * b[index]
            result.1 += a[index] * a[index]
            result.2 += b[index] * b[index]
            index += 1
        }
        return result
    }
}
