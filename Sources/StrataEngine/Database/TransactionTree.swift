/// One tree as a transaction sees it: the committed entries with the transaction's pending
/// writes over them. Made by `tx[tree]`; valid only inside the transaction's write closure.
///
/// Point reads are O(log n) in the pending writes plus one tree lookup; range reads merge the
/// pending writes with the tree lazily (``TransactionCursor``), at a cost proportional to what
/// they read. It also writes, so index code can read and write through one handle.
public struct TransactionTree: ReadableTree {
    /// The transaction this view reads through.
    public let transaction: Transaction
    /// The tree.
    public let tree: Tree

    init(transaction: Transaction, tree: Tree) {
        self.transaction = transaction
        self.tree = tree
    }

    /// The tree's name.
    public var name: String { tree.name }

    /// The value of `key`, including the transaction's writes.
    public func get(_ key: [UInt8]) throws -> [UInt8]? {
        try withValue(forKey: key) { $0.map { Array($0) } }
    }

    /// Lends the value of `key` (nil when absent), including the transaction's writes, to
    /// `body`. A committed value is lent in place; a pending one from the transaction's copy.
    public func withValue<R>(forKey key: [UInt8], _ body: (UnsafeRawBufferPointer?) throws -> R) throws -> R {
        try Tree.validate(key: key)
        let pending = try transaction.pendingWrites(in: tree)
        switch key.withUnsafeBytes({ pending?.write(forKey: $0) }) {
        case .put(let value): return try value.withUnsafeBytes { try body($0) }
        case .removed: return try body(nil)
        case nil:
            if pending?.hidesCommitted == true { return try body(nil) }
            return try tree.withValue(forKey: key, body)
        }
    }

    /// Whether `key` is present, including the transaction's writes.
    public func contains(_ key: [UInt8]) throws -> Bool {
        try Tree.validate(key: key)
        let pending = try transaction.pendingWrites(in: tree)
        switch key.withUnsafeBytes({ pending?.write(forKey: $0) }) {
        case .put: return true
        case .removed: return false
        case nil: return pending?.hidesCommitted == true ? false : try tree.contains(key)
        }
    }

    /// A lazy cursor over the keys between `lower` and `upper` with the transaction's writes
    /// merged in, ascending (or descending with `reverse`).
    public func range(_ lower: KeyBound, _ upper: KeyBound, reverse: Bool = false) throws -> TransactionCursor {
        try Tree.validate(bound: lower)
        try Tree.validate(bound: upper)
        let pending = try transaction.pendingWrites(in: tree)
        let committed = pending?.hidesCommitted == true ? nil : try tree.range(lower, upper, reverse: reverse)
        return TransactionCursor(
            view: self, committed: committed, clears: pending?.clears ?? 0, lower: lower, upper: upper, reverse: reverse)
    }

    /// How many keys the tree holds with the transaction's writes. The committed count plus
    /// one lookup in the tree per key the transaction wrote (O(writes · log n)), cached until
    /// the next write.
    public var count: Int {
        get throws {
            guard let pending = try transaction.pendingWrites(in: tree) else { return try tree.count }
            if let cached = pending.cachedDelta, cached.version == pending.version {
                return (pending.hidesCommitted ? 0 : try tree.count) + cached.delta
            }
            var delta = 0
            try pending.forEach { key, write in
                let committed = pending.hidesCommitted ? false : try tree.contains(key)
                switch write {
                case .put: if !committed { delta += 1 }
                case .removed: if committed { delta -= 1 }
                }
            }
            pending.cachedDelta = (pending.version, delta)
            return (pending.hidesCommitted ? 0 : try tree.count) + delta
        }
    }

    /// Whether the tree holds no keys with the transaction's writes (reads the first entry).
    public var isEmpty: Bool {
        get throws { try first() == nil }
    }

    // MARK: Writing

    /// Sets `key` to `value` in this transaction (``Transaction/insert(_:forKey:in:)``).
    public func insert(_ value: [UInt8], forKey key: [UInt8]) throws {
        try transaction.insert(value, forKey: key, in: tree)
    }

    /// Removes `key` in this transaction (``Transaction/remove(_:from:)``).
    public func remove(_ key: [UInt8]) throws {
        try transaction.remove(key, from: tree)
    }

    /// Removes every key in this transaction (``Transaction/clear(_:)``).
    public func clear() throws {
        try transaction.clear(tree)
    }
}
