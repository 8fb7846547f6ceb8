import Metrics

extension Database {
    /// Runs `body` as one atomic, serializable transaction over any trees.
    ///
    /// Transactions run one at a time under the writer lock, so what `body` reads cannot change
    /// underneath it: returning commits every change together; throwing discards them all.
    /// The commit is visible to readers when `write` returns. With `durability: .synced` it is
    /// also on disk (fsynced, shared with concurrent synced commits); with `.buffered` it becomes
    /// durable at the next `flush()`, synced commit, checkpoint or background flush. nil uses
    /// ``Configuration/defaultDurability``.
    ///
    /// Keep `body` short: it holds off every other writer. Inside `body`, write only through the
    /// ``Transaction`` it is given: a call that takes the writer lock again on this thread
    /// (`write`, a `Tree` write such as `insert` or `clear`, `tree(_:)` creating a tree,
    /// `dropTree`, `checkpoint`, `verify`, `close`) throws ``StrataError/Code/reentrantWrite``.
    /// Reads (`Tree` reads, snapshots, `statistics()`) and `flush()` work inside it.
    @discardableResult
    public func write<T>(durability: Durability? = nil, _ body: (Transaction) throws -> T) throws -> T {
        try checkWritable()
        let synced = (durability ?? configuration.defaultDurability) == .synced
        if synced { wal.syncedCommitStarted() }
        defer { if synced { wal.syncedCommitEnded() } }
        let (result, sequence) = try writerOwner.withLock(writer, call: "db.write (or a Tree write)") { w -> (T, UInt64?) in
            let transaction = Transaction(database: self, nextTreeID: w.nextTreeID)
            // The transaction encodes into the writer's reused buffer, handed back afterwards.
            swap(&transaction.operations, &w.operationBuffer)
            defer {
                transaction.isOpen = false
                transaction.operations.removeAll()
                swap(&transaction.operations, &w.operationBuffer)
            }
            let result = try body(transaction)
            transaction.isOpen = false
            guard !transaction.operations.isEmpty else { return (result, nil) }
            let sequence = try commit(&transaction.operations, &w)
            for action in transaction.commitActions { action(sequence) }
            return (result, sequence)
        }
        if let sequence, synced {
            let started = ContinuousClock.now
            defer { metrics.walSyncs.record(duration: ContinuousClock.now - started) }
            do {
                try wal.sync(through: sequence, gathering: true)
            } catch {
                throw disableWrites(error, while: "syncing the WAL")
            }
        }
        return result
    }

    /// Logs and applies one commit (under the writer lock). Returns its sequence number.
    func commit(_ operations: inout EncodedOperations, _ w: inout WriterState) throws -> UInt64 {
        try checkWritable()
        var editor = BTreeEditor(store: store, pageSize: configuration.pageSize)
        // Every page the commit will edit is read (made dirty) first, so that a failed read
        // fails the commit before it is logged, with writes still enabled; applying it then
        // reads nothing. The dirty copies left by a failed read change nothing the trees hold.
        let sequence: UInt64
        do {
            sequence = try published.withLock { s in
                try Database.prepare(operations, in: &s, editor: &editor)
                return s.sequence + 1
            }
        } catch {
            w.freed.append(contentsOf: editor.freed)
            w.dirtyBytes += editor.dirtiedBytes
            w.changedSinceCheckpoint = w.changedSinceCheckpoint || !editor.freed.isEmpty
            throw error
        }
        do {
            try wal.append(operations.sealFrame(sequence: sequence), sequence: sequence)
        } catch {
            throw disableWrites(error, while: "appending to the WAL")
        }
        let collect = subscriptions.isActive
        let changes = try published.withLock { s in
            do {
                let changes = try Database.apply(operations, to: &s, editor: &editor, nextTreeID: &w.nextTreeID, collectChanges: collect)
                s.sequence = sequence
                return changes
            } catch {
                // Not an I/O failure (prepare read every page): a commit the trees contradict.
                // The trees may hold part of it: refuse everything until reopen, when the WAL
                // replays it whole or reports the damage.
                s.closed = true
                throw disableWrites(error, while: "applying a commit")
            }
        }
        if let failure = editor.unaccountedFailure {
            // The commit is applied whole, but a page a clear or drop freed could not be read
            // again (evicted since prepare read it): the segments' live bytes are not exact.
            disableWrites(failure, while: "accounting the pages a clear or drop freed")
        }
        w.freed.append(contentsOf: editor.freed)
        w.dirtyBytes += editor.dirtiedBytes
        writerSummary.withLock { $0.dirtyBytes = w.dirtyBytes }
        w.changedSinceCheckpoint = true
        metrics.commits.increment()
        metrics.operations.increment(by: Int64(operations.operationCount))
        if collect { subscriptions.publish(changes, sequence: sequence) }
        if w.dirtyBytes > configuration.dirtyBytes || wal.bytesSinceRotation > configuration.walBytes {
            do {
                try checkpointer.run(&w, force: false)
            } catch {
                // The commit itself is logged and visible; the failed checkpoint disables writes.
                disableWrites(error, while: "checkpointing")
            }
        }
        return sequence
    }

    /// Reads, before a commit is logged, every page applying it will need: the path to each
    /// put's and remove's key is made dirty (``BTreeEditor/preparePath(to:in:)``), and the pages
    /// of a tree to clear or drop are read through the cache. Changes nothing the trees hold.
    static func prepare(
        _ operations: some OperationSequence, in state: inout PublishedState, editor: inout BTreeEditor
    ) throws {
        // As in `apply`, the tree is held out of the dictionary so its nodes are edited in place.
        var current: TreeState?
        defer { if let tree = current { state.trees[tree.id] = tree } }
        try operations.forEachOperation { operation in
            let id = operation.treeID
            if current?.id != id, let tree = current {
                state.trees[tree.id] = tree
                current = nil
            }
            switch operation {
            case .put(_, let key, _), .remove(_, let key):
                // A tree created by this commit is not there yet: nothing to read.
                if current == nil { current = state.trees.removeValue(forKey: id) }
                if current != nil { try editor.preparePath(to: key, in: &current!.root) }
            case .clear, .dropTree:
                try editor.readAll((current ?? state.trees[id])?.root)
            case .createTree:
                break
            }
        }
    }

    /// One change a commit made, for subscribers.
    struct AppliedChange: Sendable {
        var tree: UInt32
        var key: [UInt8]?
        var value: [UInt8]?
        /// With no key: the tree was dropped (false: cleared).
        var dropped = false
    }

    /// Applies one commit's operations to the trees (at commit, and when replaying the WAL).
    static func apply(
        _ operations: some OperationSequence, to state: inout PublishedState, editor: inout BTreeEditor,
        nextTreeID: inout UInt32, collectChanges: Bool
    ) throws -> [AppliedChange] {
        var changes: [AppliedChange] = []
        // The tree being changed is held out of the dictionary (so its root stays uniquely
        // referenced and nodes are edited in place) across consecutive operations on it.
        var current: TreeState?
        defer { if let tree = current { state.trees[tree.id] = tree } }
        try operations.forEachOperation { operation in
            let id = operation.treeID
            if current?.id != id, let tree = current {
                state.trees[tree.id] = tree
                current = nil
            }
            if case .createTree(_, let name, let settings, let owner) = operation {
                guard state.trees[id] == nil, state.treeIDs[name] == nil else {
                    throw StrataError(.corruption, "commit creates tree \(name) (id \(id)) that already exists")
                }
                state.trees[id] = TreeState(id: id, name: name, root: nil, count: 0, settings: settings, owner: owner)
                editor.store.register(tree: id, settings: settings)
                state.treeIDs[name] = id
                nextTreeID = max(nextTreeID, id + 1)
                return
            }
            if current == nil {
                guard let tree = state.trees.removeValue(forKey: id) else {
                    throw StrataError(.corruption, "commit refers to unknown tree id \(id)")
                }
                current = tree
            }
            switch operation {
            case .put(_, let key, let value):
                let threshold = current!.root == nil ? editor.store.largeValueThreshold(ofTree: id) : nil
                if try !editor.insert(key: key, value: value, into: &current!.root, largeValueThreshold: threshold) {
                    current!.count += 1
                }
                if collectChanges { changes.append(AppliedChange(tree: id, key: Array(key), value: Array(value))) }
            case .remove(_, let key):
                let removed = try editor.remove(key: key, from: &current!.root)
                if removed != nil {
                    // A count from a damaged catalog may be too low; verify() reports the mismatch.
                    if current!.count > 0 { current!.count -= 1 }
                    if collectChanges { changes.append(AppliedChange(tree: id, key: Array(key), value: nil)) }
                }
            case .clear:
                editor.freeAll(current!.root)
                current!.root = nil
                current!.count = 0
                if collectChanges { changes.append(AppliedChange(tree: id, key: nil, value: nil)) }
            case .dropTree:
                editor.freeAll(current!.root)
                state.treeIDs[current!.name] = nil
                editor.store.forget(tree: id)
                current = nil
                if collectChanges { changes.append(AppliedChange(tree: id, key: nil, value: nil, dropped: true)) }
            case .createTree:
                break
            }
        }
        return changes
    }
}
