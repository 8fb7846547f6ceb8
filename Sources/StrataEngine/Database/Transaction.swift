/// The changes of one ``Database/write(durable:_:)`` call, and reads that see them.
///
/// Read a tree with the transaction's own writes through `tx[tree]` (a ``TransactionTree``,
/// which is a ``ReadableTree``). Valid only inside the closure it was passed to; using it
/// afterwards throws `.closed`.
public final class Transaction {
    let database: Database
    /// The changes so far, already in the WAL's encoding.
    // Used by one thread inside its write closure: no dynamic exclusivity checks.
    @exclusivity(unchecked) var operations = EncodedOperations()
    @exclusivity(unchecked) var isOpen = true
    /// Pending writes per tree in key order, for reads inside the transaction; built lazily
    /// from `operations` at the first read, so that write-only batches never sort their keys.
    private var overlays: [UInt32: PendingWrites] = [:]
    /// Where the operations not yet reflected in `overlays` start in `operations`.
    private var overlaid = EncodedOperations.bodyStart
    /// Trees created or dropped inside this transaction.
    private var createdTrees: [String: UInt32] = [:]
    private var droppedTrees: Set<UInt32> = []
    private var nextTreeID: UInt32

    init(database: Database, nextTreeID: UInt32) {
        self.database = database
        self.nextTreeID = nextTreeID
    }

    // MARK: Writing

    /// Sets `key` to `value` in `tree`.
    public func insert(_ value: [UInt8], forKey key: [UInt8], in tree: Tree) throws {
        try value.withUnsafeBytes { v in try key.withUnsafeBytes { try insert(valueBytes: v, keyBytes: $0, in: tree) } }
    }

    /// Removes `key` from `tree` (nothing happens if it is absent).
    public func remove(_ key: [UInt8], from tree: Tree) throws {
        try key.withUnsafeBytes { try remove(keyBytes: $0, from: tree) }
    }

    /// Removes every key of `tree`.
    public func clear(_ tree: Tree) throws {
        try checkOpen(tree)
        operations.append(.clear(tree: tree.id))
    }

    // The writes proper, on borrowed bytes: they are copied once, into the encoded operations.

    @usableFromInline
    func insert(valueBytes value: UnsafeRawBufferPointer, keyBytes key: UnsafeRawBufferPointer, in tree: Tree) throws {
        try checkOpen(tree)
        try Tree.validate(keyLength: key.count)
        try Tree.validate(valueLength: value.count)
        operations.appendPut(tree: tree.id, key: key, value: value)
    }

    @usableFromInline
    func remove(keyBytes key: UnsafeRawBufferPointer, from tree: Tree) throws {
        try checkOpen(tree)
        try Tree.validate(keyLength: key.count)
        operations.appendRemove(tree: tree.id, key: key)
    }

    /// Brings `overlays` up to date with the operations recorded since the last read.
    private func updateOverlays() {
        guard overlaid < operations.end else { return }
        overlaid = operations.forEachOperation(from: overlaid) { operation in
            switch operation {
            case .put(let tree, let key, let value):
                overlay(tree).set(.put(Array(value)), forKey: Array(key))
            case .remove(let tree, let key):
                overlay(tree).set(.removed, forKey: Array(key))
            case .clear(let tree):
                overlay(tree).clear()
            case .dropTree(let tree):
                overlays[tree] = nil
            case .createTree(let tree, _):
                overlays[tree] = PendingWrites(hidesCommitted: true)
            }
        }
    }

    private func overlay(_ tree: UInt32) -> PendingWrites {
        if let existing = overlays[tree] { return existing }
        let created = PendingWrites(hidesCommitted: false)
        overlays[tree] = created
        return created
    }

    // MARK: Reading (sees this transaction's own writes)

    /// A view of `tree` that sees this transaction's writes, for reading (it is a
    /// ``ReadableTree``) and writing.
    ///
    /// ```swift
    /// try db.write { tx in
    ///     try tx[edges].insert(value, forKey: key)
    ///     let siblings = try Array(tx[edges].scan(prefix: node))  // includes the insert above
    /// }
    /// ```
    public subscript(tree: Tree) -> TransactionTree {
        TransactionTree(transaction: self, tree: tree)
    }

    /// Checks that `tree` can be read in this transaction and returns its pending writes,
    /// up to date (nil: the transaction has not written it).
    func pendingWrites(in tree: Tree) throws -> PendingWrites? {
        try checkOpen(tree)
        updateOverlays()
        return overlays[tree.id]
    }

    /// The value of `key` in `tree`, including this transaction's writes.
    func get(_ key: [UInt8], in tree: Tree) throws -> [UInt8]? {
        try TransactionTree(transaction: self, tree: tree).get(key)
    }

    // MARK: Trees

    /// The tree called `name`, created in this transaction if it does not exist.
    public func tree(_ name: String) throws -> Tree {
        guard isOpen else { throw closedError() }
        return try createTree(name)
    }

    func createTree(_ name: String) throws -> Tree {
        try Tree.validate(name: name)
        if let id = createdTrees[name] { return Tree(database: database, id: id, name: name) }
        if let existing = try database.existingTree(name), !droppedTrees.contains(existing.id) { return existing }
        let id = try allocateTreeID()
        operations.append(.createTree(tree: id, name: name))
        createdTrees[name] = id
        return Tree(database: database, id: id, name: name)
    }

    func dropTree(_ name: String) throws -> Bool {
        try Tree.validate(name: name)
        let id: UInt32
        if let created = createdTrees.removeValue(forKey: name) {
            id = created
        } else if let existing = try database.existingTree(name), !droppedTrees.contains(existing.id) {
            id = existing.id
        } else {
            return false
        }
        operations.append(.dropTree(tree: id))
        droppedTrees.insert(id)
        return true
    }

    private func allocateTreeID() throws -> UInt32 {
        let id = nextTreeID
        guard id < UInt32.max else { throw StrataError.invalidArgument("too many trees have been created") }
        nextTreeID = id + 1
        return id
    }

    private func checkOpen(_ tree: Tree) throws {
        guard isOpen else { throw closedError() }
        guard tree.database === database else {
            throw StrataError.invalidArgument("tree \(tree.name) belongs to another database")
        }
        guard !droppedTrees.contains(tree.id) else {
            throw StrataError(.notFound, "tree \(tree.name) was dropped in this transaction")
        }
    }

    private func closedError() -> StrataError {
        StrataError(.closed, "the transaction is over; use it only inside its write closure")
    }
}
