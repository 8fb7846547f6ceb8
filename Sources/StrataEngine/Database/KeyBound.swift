/// One end of a key range.
public enum KeyBound: Sendable, Equatable {
    /// Keys from (or up to) this key, the key included.
    case included([UInt8])
    /// Keys after (or before) this key, the key excluded.
    case excluded([UInt8])
    /// No limit at this end.
    case unbounded

    func admitsAsLower(_ key: UnsafeRawBufferPointer) -> Bool {
        switch self {
        case .included(let bound): bound.withUnsafeBytes { compareBytes(key, $0) >= 0 }
        case .excluded(let bound): bound.withUnsafeBytes { compareBytes(key, $0) > 0 }
        case .unbounded: true
        }
    }

    func admitsAsUpper(_ key: UnsafeRawBufferPointer) -> Bool {
        switch self {
        case .included(let bound): bound.withUnsafeBytes { compareBytes(key, $0) <= 0 }
        case .excluded(let bound): bound.withUnsafeBytes { compareBytes(key, $0) < 0 }
        case .unbounded: true
        }
    }

    func admitsAsLower(_ key: [UInt8]) -> Bool {
        switch self {
        case .included(let bound): compareKeys(key, bound) >= 0
        case .excluded(let bound): compareKeys(key, bound) > 0
        case .unbounded: true
        }
    }

    func admitsAsUpper(_ key: [UInt8]) -> Bool {
        switch self {
        case .included(let bound): compareKeys(key, bound) <= 0
        case .excluded(let bound): compareKeys(key, bound) < 0
        case .unbounded: true
        }
    }

    /// The upper bound that ends a scan of keys starting with `prefix`: the prefix with its
    /// last byte below 0xFF incremented (and the 0xFF bytes after it dropped), excluded;
    /// ``unbounded`` when `prefix` is empty or all 0xFF.
    ///
    /// ```swift
    /// let prefix = TupleKey.prefix("msg", conversation)
    /// var cursor = try tree.range(.included(prefix), .after(prefix: prefix))
    /// ```
    public static func after(prefix: [UInt8]) -> KeyBound {
        var end = prefix
        while let last = end.last {
            if last < 0xFF {
                end[end.count - 1] = last + 1
                return .excluded(end)
            }
            end.removeLast()
        }
        return .unbounded
    }
}

/// A key and its value, as a scan returns them.
public struct Entry: Sendable, Equatable {
    /// The key.
    public let key: [UInt8]
    /// The value.
    public let value: [UInt8]

    /// Creates an entry.
    public init(key: [UInt8], value: [UInt8]) {
        self.key = key
        self.value = value
    }
}
