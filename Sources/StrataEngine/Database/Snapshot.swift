/// A consistent, read-only view of every tree at one commit.
///
/// Writers never disturb it and it never shows part of a batch. It pins the pages it can
/// reach; let it go when done so that old segments can be reclaimed. Once the database is
/// closed, every read through it throws ``StrataError/Code/closed``.
public final class Snapshot: Sendable {
    let database: Database
    let trees: [UInt32: TreeState]
    let pin: ReaderPin
    /// The commit this snapshot shows.
    public let sequence: UInt64

    init(database: Database, trees: [UInt32: TreeState], pin: ReaderPin, sequence: UInt64) {
        self.database = database
        self.trees = trees
        self.pin = pin
        self.sequence = sequence
    }

    /// The names of the trees in this snapshot, sorted.
    public var treeNames: [String] { trees.values.map(\.name).sorted() }

    private func state(_ tree: Tree) throws -> TreeState {
        try database.store.checkOpen()
        guard tree.database === database else {
            throw StrataError.invalidArgument("tree \(tree.name) belongs to another database")
        }
        guard let state = trees[tree.id] else {
            throw StrataError(.notFound, "tree \(tree.name) does not exist in this snapshot")
        }
        return state
    }

    /// The value of `key` in `tree` at this snapshot's commit.
    public func get(_ key: [UInt8], in tree: Tree) throws -> [UInt8]? {
        try Tree.validate(key: key)
        let root = try state(tree).root
        return try key.withUnsafeBytes { try BTreeReader(store: database.store).get($0, in: root) }
    }

    /// Lends the value of `key` in `tree` at this snapshot's commit (nil when absent) to
    /// `body` without copying it. The buffer is valid only inside `body`.
    public func withValue<R>(
        forKey key: [UInt8], in tree: Tree, _ body: (UnsafeRawBufferPointer?) throws -> R
    ) throws -> R {
        try Tree.validate(key: key)
        let root = try state(tree).root
        return try key.withUnsafeBytes { try BTreeReader(store: database.store).withValue($0, in: root, body) }
    }

    /// Whether `key` is in `tree` at this snapshot's commit.
    public func contains(_ key: [UInt8], in tree: Tree) throws -> Bool {
        try get(key, in: tree) != nil
    }

    /// How many keys `tree` held at this snapshot's commit.
    public func count(of tree: Tree) throws -> Int { Int(try state(tree).count) }

    /// A lazy cursor over `tree` at this snapshot's commit.
    public func range(
        in tree: Tree, _ lower: KeyBound = .unbounded, _ upper: KeyBound = .unbounded, reverse: Bool = false
    ) throws -> Cursor {
        try Tree.validate(bound: lower)
        try Tree.validate(bound: upper)
        let view = TreeView(state: try state(tree), store: database.store, pin: pin)
        return Cursor(view: view, lower: lower, upper: upper, reverse: reverse)
    }

    /// A lazy cursor over the keys of `tree` that start with `prefix`.
    public func scan(prefix: [UInt8], in tree: Tree, reverse: Bool = false) throws -> Cursor {
        try range(in: tree, prefix.isEmpty ? .unbounded : .included(prefix), KeyBound.after(prefix: prefix), reverse: reverse)
    }
}
