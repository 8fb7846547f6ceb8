/// What every readable view of one tree offers: point reads, ordered range reads and counts.
///
/// Three views conform, so code that reads (an index lookup, a neighbour list) is written once
/// and runs on each: a ``Tree`` itself (its latest commit), a ``SnapshotTree`` (the tree at a
/// snapshot's commit: `snapshot[tree]`, `snapshot.tree(named:)`) and a ``TransactionTree``
/// (the tree with a transaction's own pending writes: `tx[tree]`).
///
/// ```swift
/// func neighbours(of node: [UInt8], in edges: some ReadableTree) throws -> [[UInt8]] {
///     try Array(edges.scan(prefix: node).map(\.value))
/// }
/// try neighbours(of: id, in: edges)                       // latest commit
/// try neighbours(of: id, in: snapshot[edges])             // one commit
/// try db.write { tx in try neighbours(of: id, in: tx[edges]) }  // with the transaction's writes
/// ```
///
/// Keys are ordered bytewise; a key is 1 to ``Limits/maxKeyLength`` bytes.
public protocol ReadableTree {
    /// The cursor that ``range(_:_:reverse:)`` and the scans built on it return.
    associatedtype RangeCursor: EntryCursor

    /// The tree's name.
    var name: String { get }

    /// The value stored under `key`, or nil.
    func get(_ key: [UInt8]) throws -> [UInt8]?

    /// Lends the value stored under `key` (nil when absent) to `body`, without copying it where
    /// the view can. The buffer is valid only inside `body`.
    func withValue<R>(forKey key: [UInt8], _ body: (UnsafeRawBufferPointer?) throws -> R) throws -> R

    /// Whether `key` is present.
    func contains(_ key: [UInt8]) throws -> Bool

    /// A lazy cursor over the keys between `lower` and `upper`, ascending (or descending with
    /// `reverse`).
    func range(_ lower: KeyBound, _ upper: KeyBound, reverse: Bool) throws -> RangeCursor

    /// How many keys the tree holds. O(1) on a tree or a snapshot (a counter); see each view.
    var count: Int { get throws }

    /// Whether the tree holds no keys.
    var isEmpty: Bool { get throws }
}

extension ReadableTree {
    /// Whether the tree holds no keys (`count == 0`).
    public var isEmpty: Bool {
        get throws { try count == 0 }
    }

    /// A lazy cursor over the keys between `lower` and `upper`, ascending.
    public func range(_ lower: KeyBound, _ upper: KeyBound) throws -> RangeCursor {
        try range(lower, upper, reverse: false)
    }

    /// A lazy cursor over the keys `>= from` and `< to` (nil: unbounded).
    public func range(from lower: [UInt8]? = nil, to upper: [UInt8]? = nil, reverse: Bool = false) throws -> RangeCursor {
        try range(lower.map(KeyBound.included) ?? .unbounded, upper.map(KeyBound.excluded) ?? .unbounded, reverse: reverse)
    }

    /// A lazy cursor over every key that starts with `prefix` (every key, if it is empty).
    public func scan(prefix: [UInt8], reverse: Bool = false) throws -> RangeCursor {
        try range(prefix.isEmpty ? .unbounded : .included(prefix), KeyBound.after(prefix: prefix), reverse: reverse)
    }

    /// A lazy cursor over every key that starts with `prefix`, given as any byte collection.
    @inlinable
    public func scan(prefix: some Collection<UInt8>, reverse: Bool = false) throws -> RangeCursor {
        try scan(prefix: Array(prefix), reverse: reverse)
    }

    /// The entry with the smallest key, or nil if the tree is empty.
    public func first() throws -> Entry? {
        var cursor = try range(.unbounded, .unbounded, reverse: false)
        return try cursor.next()
    }

    /// The entry with the largest key, or nil if the tree is empty.
    public func last() throws -> Entry? {
        var cursor = try range(.unbounded, .unbounded, reverse: true)
        return try cursor.next()
    }

    /// How many keys lie between `lower` and `upper`. It walks the range (reading no values):
    /// O(keys in the range), unlike ``count``.
    public func count(_ lower: KeyBound, _ upper: KeyBound) throws -> Int {
        var cursor = try range(lower, upper, reverse: false)
        return try cursor.countRemaining()
    }

    /// How many keys start with `prefix`. It walks them (reading no values): O(keys counted).
    public func count(prefix: [UInt8]) throws -> Int {
        var cursor = try scan(prefix: prefix)
        return try cursor.countRemaining()
    }
}
