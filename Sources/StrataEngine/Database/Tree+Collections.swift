/// Overloads that take keys and values as any byte collection (a `Data`, an `ArraySlice`, a
/// `String.UTF8View`, ...) or as an `UnsafeRawBufferPointer`. `[UInt8]` arguments go to the
/// primary methods without a copy, and the point reads borrow any contiguous key in place.
/// The raw-buffer overloads are not generic over the key, so code that is itself generic
/// (over `R`, say) calls them without instantiating generic types at run time.
extension Tree {
    /// The value stored under `key`, or nil.
    @inlinable
    public func get(_ key: some Collection<UInt8>) throws -> [UInt8]? {
        try Tree.withContiguousBytes(of: key) { try get(keyBytes: $0) }
    }

    /// Lends the value stored under `key` (nil when absent) to `body` without copying it.
    /// The buffer is valid only inside `body`.
    @inlinable
    public func withValue<R>(forKey key: some Collection<UInt8>, _ body: (UnsafeRawBufferPointer?) throws -> R) throws -> R {
        try Tree.withContiguousBytes(of: key) { try withValue(forKeyBytes: $0, body) }
    }

    /// Whether `key` is present.
    @inlinable
    public func contains(_ key: some Collection<UInt8>) throws -> Bool {
        try Tree.withContiguousBytes(of: key) { try contains(keyBytes: $0) }
    }

    /// The value stored under the key in `key`, or nil. The key is read in place.
    public func get(_ key: UnsafeRawBufferPointer) throws -> [UInt8]? { try get(keyBytes: key) }

    /// Lends the value stored under the key in `key` (nil when absent) to `body` without
    /// copying either. The value's buffer is valid only inside `body`.
    public func withValue<R>(forKey key: UnsafeRawBufferPointer, _ body: (UnsafeRawBufferPointer?) throws -> R) throws -> R {
        try withValue(forKeyBytes: key, body)
    }

    /// Whether the key in `key` is present.
    public func contains(_ key: UnsafeRawBufferPointer) throws -> Bool { try contains(keyBytes: key) }

    /// Runs `body` on `bytes` in place when they are contiguous, else on a copy.
    @inlinable
    static func withContiguousBytes<R>(
        of bytes: some Collection<UInt8>, _ body: (UnsafeRawBufferPointer) throws -> R
    ) throws -> R {
        if let result = try bytes.withContiguousStorageIfAvailable({ try body(UnsafeRawBufferPointer($0)) }) {
            return result
        }
        return try Array(bytes).withUnsafeBytes(body)
    }

    /// Stores `value` under `key`; returns the value it replaced, if any.
    @inlinable @discardableResult
    public func insert(
        _ value: some Collection<UInt8>, forKey key: some Collection<UInt8>, durability: Durability? = nil
    ) throws -> [UInt8]? {
        try insert(Array(value), forKey: Array(key), durability: durability)
    }

    /// Removes `key`; returns the value it had, if any.
    @inlinable @discardableResult
    public func remove(_ key: some Collection<UInt8>, durability: Durability? = nil) throws -> [UInt8]? {
        try remove(Array(key), durability: durability)
    }

}

extension Transaction {
    /// Sets `key` to `value` in `tree`.
    @inlinable
    public func insert(_ value: some Collection<UInt8>, forKey key: some Collection<UInt8>, in tree: Tree) throws {
        try Tree.withContiguousBytes(of: value) { v in
            try Tree.withContiguousBytes(of: key) { try insert(valueBytes: v, keyBytes: $0, in: tree) }
        }
    }

    /// Sets the key in `key` to the bytes in `value` in `tree`, copying both once.
    public func insert(_ value: UnsafeRawBufferPointer, forKey key: UnsafeRawBufferPointer, in tree: Tree) throws {
        try insert(valueBytes: value, keyBytes: key, in: tree)
    }

    /// Removes `key` from `tree`.
    @inlinable
    public func remove(_ key: some Collection<UInt8>, from tree: Tree) throws {
        try Tree.withContiguousBytes(of: key) { try remove(keyBytes: $0, from: tree) }
    }
}
