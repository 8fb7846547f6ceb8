/// A consistent, read-only view of every tree at one commit.
///
/// Read a tree through `snapshot[tree]` or `snapshot.tree(named:)`, a ``SnapshotTree``
/// (which is a ``ReadableTree``).
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

    /// `tree` at this snapshot's commit, for reading (a ``ReadableTree``). Throws `notFound`
    /// if the tree did not exist at that commit.
    ///
    /// ```swift
    /// let snapshot = try db.snapshot()
    /// let value = try snapshot[nodes].get(key)
    /// ```
    public subscript(tree: Tree) -> SnapshotTree {
        get throws { SnapshotTree(snapshot: self, state: try state(tree)) }
    }

    /// The tree called `name` at this snapshot's commit, or nil if there was none.
    public func tree(named name: String) -> SnapshotTree? {
        trees.values.first { $0.name == name }.map { SnapshotTree(snapshot: self, state: $0) }
    }
}
