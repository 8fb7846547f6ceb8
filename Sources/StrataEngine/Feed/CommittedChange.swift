/// One change read from the change feed (``Database/changes(since:)``): an operation of a
/// committed transaction, as the write-ahead log recorded it.
public struct CommittedChange: Sendable, Equatable {
    /// What the change did.
    public enum Kind: Sendable, Equatable {
        /// `key` was set to `value`.
        case put(key: [UInt8], value: [UInt8])
        /// `key` is absent after this change (it may have been absent before: the log records
        /// every remove a transaction asked for with `tx.remove`; the one-call ``Tree/remove(_:durability:)``
        /// of an absent key makes no commit, so nothing is logged).
        case remove(key: [UInt8])
        /// Every key of the tree was removed.
        case clear
        /// The tree was created with this name.
        case createTree(name: String)
        /// The tree was dropped; its id is never used again.
        case dropTree
    }

    /// The commit that made the change.
    public var sequence: UInt64
    /// The tree changed (``Tree/id``).
    public var treeID: UInt32
    /// What the change did.
    public var kind: Kind

    /// Creates a change.
    public init(sequence: UInt64, treeID: UInt32, kind: Kind) {
        self.sequence = sequence
        self.treeID = treeID
        self.kind = kind
    }

    init(sequence: UInt64, _ operation: Operation) {
        self.sequence = sequence
        treeID = operation.treeID
        switch operation {
        case .put(_, let key, let value): kind = .put(key: key, value: value)
        case .remove(_, let key): kind = .remove(key: key)
        case .clear: kind = .clear
        case .createTree(_, let name, _, _): kind = .createTree(name: name)
        case .dropTree: kind = .dropTree
        }
    }
}
