/// One tree at a snapshot's commit, for reading; made by `snapshot[tree]` or
/// `snapshot.tree(named:)`. It keeps the snapshot (and so the pages it reads) alive.
public struct SnapshotTree: ReadableTree, Sendable {
    /// The snapshot this view reads.
    public let snapshot: Snapshot
    let state: TreeState

    init(snapshot: Snapshot, state: TreeState) {
        self.snapshot = snapshot
        self.state = state
    }

    /// The tree's name.
    public var name: String { state.name }

    private var reader: BTreeReader { BTreeReader(store: snapshot.database.store) }

    /// The value of `key` at the snapshot's commit, or nil.
    public func get(_ key: [UInt8]) throws -> [UInt8]? {
        try Tree.validate(key: key)
        return try key.withUnsafeBytes { try reader.get($0, in: state.root) }
    }

    /// Lends the value of `key` at the snapshot's commit (nil when absent) to `body` without
    /// copying it. The buffer is valid only inside `body`.
    public func withValue<R>(forKey key: [UInt8], _ body: (UnsafeRawBufferPointer?) throws -> R) throws -> R {
        try Tree.validate(key: key)
        return try key.withUnsafeBytes { try reader.withValue($0, in: state.root, body) }
    }

    /// Whether `key` is present at the snapshot's commit.
    public func contains(_ key: [UInt8]) throws -> Bool {
        try Tree.validate(key: key)
        return try key.withUnsafeBytes { try reader.find($0, in: state.root) != nil }
    }

    /// A lazy cursor over the keys between `lower` and `upper` at the snapshot's commit,
    /// ascending (or descending with `reverse`).
    public func range(_ lower: KeyBound, _ upper: KeyBound, reverse: Bool = false) throws -> TreeCursor {
        try Tree.validate(bound: lower)
        try Tree.validate(bound: upper)
        let view = TreeView(state: state, store: snapshot.database.store, pin: snapshot.pin)
        return TreeCursor(view: view, lower: lower, upper: upper, reverse: reverse)
    }

    /// How many keys the tree held at the snapshot's commit (a counter: O(1)).
    public var count: Int {
        get throws { Int(state.count) }
    }
}
