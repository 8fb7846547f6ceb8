/// The changes of one ``Database/write(durable:_:)`` call, and reads that see them.
///
/// Valid only inside the closure it was passed to; using it afterwards throws `.closed`.
public final class Transaction {
    let database: Database
    /// The changes so far, already in the WAL's encoding.
    // Used by one thread inside its write closure: no dynamic exclusivity checks.
    @exclusivity(unchecked) var operations = EncodedOperations()
    @exclusivity(unchecked) var isOpen = true
    /// Pending writes per tree, for reads inside the transaction; built lazily from
    /// `operations` so that write-only batches never hash their keys.
    private var overlays: [UInt32: Overlay] = [:]
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

    struct Overlay {
        var cleared = false
        var entries: [[UInt8]: [UInt8]?] = [:]
    }

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
        overlaid = operations.forEachOperation(from: overlaid) { operation in
            switch operation {
            case .put(let tree, let key, let value): overlays[tree, default: Overlay()].entries[Array(key)] = .some(Array(value))
            case .remove(let tree, let key): overlays[tree, default: Overlay()].entries[Array(key)] = .some(nil)
            case .clear(let tree): overlays[tree] = Overlay(cleared: true, entries: [:])
            case .dropTree(let tree): overlays[tree] = nil
            case .createTree: break
            }
        }
    }

    // MARK: Reading (sees this transaction's own writes)

    /// The value of `key` in `tree`, including this transaction's writes.
    public func get(_ key: [UInt8], in tree: Tree) throws -> [UInt8]? {
        try checkOpen(tree)
        try Tree.validate(key: key)
        updateOverlays()
        if let overlay = overlays[tree.id] {
            if let pending = overlay.entries[key] { return pending }
            if overlay.cleared { return nil }
        }
        guard !createdTrees.values.contains(tree.id) else { return nil }
        return try tree.get(key)
    }

    /// Whether `key` is present in `tree`, including this transaction's writes.
    public func contains(_ key: [UInt8], in tree: Tree) throws -> Bool {
        try get(key, in: tree) != nil
    }

    /// The entries of `tree` between `lower` and `upper`, including this transaction's writes,
    /// in key order (or reverse), read eagerly up to `limit`.
    public func entries(
        in tree: Tree, from lower: KeyBound = .unbounded, to upper: KeyBound = .unbounded,
        reverse: Bool = false, limit: Int = .max
    ) throws -> [Entry] {
        try checkOpen(tree)
        updateOverlays()
        let overlay = overlays[tree.id] ?? Overlay()
        let pending = overlay.entries.keys
            .filter { lower.admitsAsLower($0) && upper.admitsAsUpper($0) }
            .sorted { reverse ? compareKeys($0, $1) > 0 : compareKeys($0, $1) < 0 }
        var base: Cursor? = overlay.cleared || createdTrees.values.contains(tree.id)
            ? nil : try tree.range(lower, upper, reverse: reverse)
        var result: [Entry] = []
        var next = try base?.next()
        var index = 0
        while result.count < limit {
            let fromOverlay = index < pending.count ? pending[index] : nil
            guard next != nil || fromOverlay != nil else { break }
            let order: Int
            if let entry = next, let key = fromOverlay {
                order = reverse ? -compareKeys(entry.key, key) : compareKeys(entry.key, key)
            } else {
                order = next != nil ? -1 : 1
            }
            if order < 0 {
                result.append(next!)
                next = try base?.next()
            } else {
                if order == 0 { next = try base?.next() }
                if case .some(.some(let value)) = overlay.entries[fromOverlay!] {
                    result.append(Entry(key: fromOverlay!, value: value))
                }
                index += 1
            }
        }
        return result
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
