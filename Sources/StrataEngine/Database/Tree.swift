/// A named, ordered map from byte keys to byte values inside a ``Database``.
///
/// Its reads (``ReadableTree``) see the latest commit. Each write is its own atomic operation; group several into one atomic
/// batch with ``Database/write(durability:_:)``. Keys are 1 to ``Limits/maxKeyLength`` bytes,
/// values 0 to ``Limits/maxValueLength`` bytes, ordered bytewise.
public struct Tree: Sendable {
    let database: Database
    /// The tree's id: fixed for its life and never given to another tree, as the change feed
    /// reports it (``CommittedChange/treeID``).
    public let id: UInt32
    /// The tree's name.
    public let name: String
    /// Whether this handle may write the tree: false for a tree a layer owns (``TreeOwner``)
    /// when the handle was not obtained with that owner. Its writes throw
    /// ``StrataError/Code/ownedTree``; its reads work.
    public let isWritable: Bool

    init(database: Database, id: UInt32, name: String, isWritable: Bool) {
        self.database = database
        self.id = id
        self.name = name
        self.isWritable = isWritable
    }

    // MARK: Reading

    /// The value stored under `key`, or nil.
    public func get(_ key: [UInt8]) throws -> [UInt8]? {
        try key.withUnsafeBytes { try get(keyBytes: $0) }
    }

    /// Lends the value stored under `key` (nil when absent) to `body` without copying it.
    /// The buffer is valid only inside `body`.
    ///
    /// ```swift
    /// let length = try tree.withValue(forKey: key) { $0?.count ?? 0 }
    /// ```
    public func withValue<R>(forKey key: [UInt8], _ body: (UnsafeRawBufferPointer?) throws -> R) throws -> R {
        try key.withUnsafeBytes { try withValue(forKeyBytes: $0, body) }
    }

    /// Whether `key` is present.
    public func contains(_ key: [UInt8]) throws -> Bool {
        try key.withUnsafeBytes { try contains(keyBytes: $0) }
    }

    // The point reads proper, on borrowed key bytes (so that no key is copied to look it up).

    @usableFromInline
    func get(keyBytes key: UnsafeRawBufferPointer) throws -> [UInt8]? {
        try Tree.validate(keyLength: key.count)
        return try database.withRoot(of: id) { state in
            try BTreeReader(store: database.store).get(key, in: state.root)
        }
    }

    @usableFromInline
    func withValue<R>(forKeyBytes key: UnsafeRawBufferPointer, _ body: (UnsafeRawBufferPointer?) throws -> R) throws -> R {
        try Tree.validate(keyLength: key.count)
        return try database.withRoot(of: id) { state in
            try BTreeReader(store: database.store).withValue(key, in: state.root, body)
        }
    }

    @usableFromInline
    func contains(keyBytes key: UnsafeRawBufferPointer) throws -> Bool {
        try Tree.validate(keyLength: key.count)
        return try database.withRoot(of: id) { state in
            try BTreeReader(store: database.store).find(key, in: state.root) != nil
        }
    }

    /// How many keys the tree holds at the latest commit (kept as a counter: O(1)).
    public var count: Int {
        get throws { try database.withRoot(of: id) { Int($0.count) } }
    }

    /// A lazy cursor over keys between `lower` and `upper` at the latest commit, ascending (or
    /// descending with `reverse`). It sees that commit whatever writers do meanwhile.
    public func range(_ lower: KeyBound, _ upper: KeyBound, reverse: Bool = false) throws -> TreeCursor {
        try Tree.validate(bound: lower)
        try Tree.validate(bound: upper)
        return TreeCursor(view: try database.view(of: id), lower: lower, upper: upper, reverse: reverse)
    }

    // MARK: Writing

    /// Stores `value` under `key`; returns the value it replaced, if any.
    @discardableResult
    public func insert(_ value: [UInt8], forKey key: [UInt8], durability: Durability? = nil) throws -> [UInt8]? {
        try database.write(durability: durability) { tx in
            let previous = try tx.get(key, in: self)
            try tx.insert(value, forKey: key, in: self)
            return previous
        }
    }

    /// Removes `key`; returns the value it had, if any. Removing an absent key changes nothing
    /// and makes no commit (nothing reaches the change feed).
    @discardableResult
    public func remove(_ key: [UInt8], durability: Durability? = nil) throws -> [UInt8]? {
        try database.write(durability: durability) { tx in
            guard let previous = try tx.get(key, in: self) else { return nil }
            try tx.remove(key, from: self)
            return previous
        }
    }

    /// The outcome of ``compareAndSwap(_:expected:new:durability:)``.
    public enum CompareAndSwapResult: Sendable, Equatable {
        /// The value was as expected and has been replaced.
        case swapped
        /// The value was not as expected (it is `current`); nothing was changed.
        case mismatch(current: [UInt8]?)
    }

    /// Atomically replaces the value of `key` with `new` (nil removes it) if it currently is
    /// `expected` (nil: absent).
    @discardableResult
    public func compareAndSwap(
        _ key: [UInt8], expected: [UInt8]?, new: [UInt8]?, durability: Durability? = nil
    ) throws -> CompareAndSwapResult {
        try database.write(durability: durability) { tx in
            let current = try tx.get(key, in: self)
            guard current == expected else { return .mismatch(current: current) }
            if let new {
                try tx.insert(new, forKey: key, in: self)
            } else if current != nil {
                try tx.remove(key, from: self)
            }
            return .swapped
        }
    }

    /// Atomically replaces the value of `key` with `transform(current)` (nil removes it) and
    /// returns the new value. `transform` runs under the writer lock: keep it short.
    @discardableResult
    public func updateAndFetch(
        _ key: [UInt8], durability: Durability? = nil, _ transform: ([UInt8]?) throws -> [UInt8]?
    ) throws -> [UInt8]? {
        try database.write(durability: durability) { tx in
            let current = try tx.get(key, in: self)
            let updated = try transform(current)
            if let updated {
                try tx.insert(updated, forKey: key, in: self)
            } else if current != nil {
                try tx.remove(key, from: self)
            }
            return updated
        }
    }

    /// Removes every key.
    public func clear(durability: Durability? = nil) throws {
        try database.write(durability: durability) { tx in try tx.clear(self) }
    }

    // MARK: Validation

    static func validate(key: [UInt8]) throws {
        try validate(keyLength: key.count)
    }

    static func validate(keyLength: Int) throws {
        guard keyLength > 0 else { throw StrataError.invalidArgument("keys must not be empty") }
        guard keyLength <= Limits.maxKeyLength else {
            throw StrataError.invalidArgument("key of \(keyLength) bytes exceeds the limit of \(Limits.maxKeyLength)")
        }
    }

    static func validate(valueLength: Int) throws {
        guard valueLength <= Limits.maxValueLength else {
            throw StrataError.invalidArgument("value of \(valueLength) bytes exceeds the limit of \(Limits.maxValueLength)")
        }
    }

    static func validate(bound: KeyBound) throws {
        switch bound {
        case .included(let key), .excluded(let key):
            guard key.count <= Limits.maxKeyLength else {
                throw StrataError.invalidArgument("range bound of \(key.count) bytes exceeds the key limit")
            }
        case .unbounded: break
        }
    }

    static func validate(name: String) throws {
        let length = name.utf8.count
        guard length > 0 else { throw StrataError.invalidArgument("tree names must not be empty") }
        guard length <= Limits.maxTreeNameLength else {
            throw StrataError.invalidArgument("tree name of \(length) bytes exceeds the limit of \(Limits.maxTreeNameLength)")
        }
        guard !name.hasPrefix("__strata") else {
            throw StrataError.invalidArgument("tree names starting with __strata are reserved")
        }
    }
}

extension Tree: ReadableTree {}

extension Tree: Equatable {
    public static func == (a: Tree, b: Tree) -> Bool { a.database === b.database && a.id == b.id }
}

extension Tree: Hashable {
    public func hash(into hasher: inout Hasher) { hasher.combine(id) }
}
