/// The changes of one ``Database/write(durability:_:)`` call, and reads that see them.
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
    /// The trees created in this transaction, as they will be published.
    private var createdStates: [UInt32: TreeState] = [:]
    private var nextTreeID: UInt32
    /// The tree last found to exist (so a run of writes to one tree checks it once).
    private var verifiedTree: UInt32?
    /// What ``afterCommit(_:)`` registered, run in order once the commit is published.
    var commitActions: [(UInt64) -> Void] = []

    init(database: Database, nextTreeID: UInt32) {
        self.database = database
        self.nextTreeID = nextTreeID
    }

    // MARK: Size

    /// The encoded size of this transaction's changes so far, in bytes: the body of the WAL
    /// frame it would commit (FORMAT.md). A write that would take it past
    /// ``Limits/maxBatchBytes`` throws ``StrataError/Code/invalidArgument`` and records nothing,
    /// so the transaction can still commit what it holds.
    public var encodedByteCount: Int { operations.bodyByteCount }

    /// The operations recorded so far (at most ``Limits/maxOperationsPerBatch``).
    public var operationCount: Int { operations.count }

    /// Throws unless one more operation of `size` encoded bytes fits in the batch.
    @inline(__always)
    private func reserve(_ size: Int) throws {
        guard operations.count < Limits.maxOperationsPerBatch else {
            throw StrataError.invalidArgument(
                "the transaction already holds \(Limits.maxOperationsPerBatch) operations (Limits.maxOperationsPerBatch); "
                    + "commit it and continue in another")
        }
        guard operations.bodyByteCount + size <= Limits.maxBatchBytes else {
            throw StrataError.invalidArgument(
                "this write of \(size) encoded bytes would take the transaction from \(operations.bodyByteCount) past "
                    + "Limits.maxBatchBytes (\(Limits.maxBatchBytes) bytes); commit it and continue in another")
        }
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
        try checkOwner(tree)
        let operation = Operation.clear(tree: tree.id)
        try reserve(operation.encodedSize)
        operations.append(operation)
    }

    // The writes proper, on borrowed bytes: they are copied once, into the encoded operations.

    @usableFromInline
    func insert(valueBytes value: UnsafeRawBufferPointer, keyBytes key: UnsafeRawBufferPointer, in tree: Tree) throws {
        try checkOpen(tree)
        try checkOwner(tree)
        try Tree.validate(keyLength: key.count)
        try Tree.validate(valueLength: value.count)
        try reserve(Operation.encodedPutSize(tree: tree.id, keyLength: key.count, valueLength: value.count))
        operations.appendPut(tree: tree.id, key: key, value: value)
    }

    @usableFromInline
    func remove(keyBytes key: UnsafeRawBufferPointer, from tree: Tree) throws {
        try checkOpen(tree)
        try checkOwner(tree)
        try Tree.validate(keyLength: key.count)
        try reserve(Operation.encodedRemoveSize(tree: tree.id, keyLength: key.count))
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
            case .createTree(let tree, _, _, _):
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

    func createTree(_ name: String, settings: TreeSettings = .default, owner: TreeOwner? = nil) throws -> Tree {
        try Tree.validate(name: name)
        if let id = createdTrees[name], let created = createdStates[id] {
            return try database.handle(of: created, settings: settings, owner: owner)
        }
        if let existing = try database.treeState(named: name), !droppedTrees.contains(existing.id) {
            return try database.handle(of: existing, settings: settings, owner: owner)
        }
        try settings.validate(pageSize: database.configuration.pageSize)
        let id = nextTreeID
        let operation = Operation.createTree(tree: id, name: name, settings: settings, owner: owner?.id)
        try reserve(operation.encodedSize)
        _ = try allocateTreeID()
        operations.append(operation)
        createdTrees[name] = id
        createdStates[id] = TreeState(id: id, name: name, root: nil, count: 0, settings: settings, owner: owner?.id)
        return Tree(database: database, id: id, name: name, isWritable: true)
    }

    func dropTree(_ name: String, owner: TreeOwner? = nil) throws -> Bool {
        try Tree.validate(name: name)
        let id: UInt32
        let state = try createdTrees[name].flatMap { createdStates[$0] }
            ?? database.treeState(named: name).flatMap { droppedTrees.contains($0.id) ? nil : $0 }
        guard let state else { return false }
        if let treeOwner = state.owner, treeOwner != owner?.id {
            throw StrataError(.ownedTree, "tree \(name) is owned by \(treeOwner): drop it through that layer (dropTree(_:owner:))")
        }
        id = state.id
        let operation = Operation.dropTree(tree: id)
        try reserve(operation.encodedSize)
        createdTrees[name] = nil
        operations.append(operation)
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
        if tree.id != verifiedTree { try verifyExists(tree) }
    }

    /// Throws `notFound` unless `tree` (this very tree, not a later one of the same name) exists
    /// now. Checked under the writer lock, before anything is logged: a write through the handle
    /// of a dropped tree would otherwise reach the WAL and then fail to apply.
    private func verifyExists(_ tree: Tree) throws {
        let exists = createdTrees.values.contains(tree.id) || database.published.withLock { $0.trees[tree.id] != nil }
        guard exists else {
            throw StrataError(.notFound, "tree \(tree.name) was dropped; get a new handle with db.tree(\"\(tree.name)\")")
        }
        verifiedTree = tree.id
    }

    private func closedError() -> StrataError {
        StrataError(.closed, "the transaction is over; use it only inside its write closure")
    }
}
