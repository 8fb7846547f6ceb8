extension Database {
    /// Every commit after commit `since`, in order, read from the write-ahead log: the change
    /// feed a derived index or another tier catches up from, also after a restart or a crash.
    ///
    /// The feed ends at the newest commit when it is made (``ChangeFeed/through``); the commits
    /// up to there are made durable first (one WAL fsync, shared with concurrent commits, and
    /// none if they already are), so what a feed returns is exactly what recovery after a
    /// crash keeps. After a failure disabled writes, it ends at the last durable commit instead.
    ///
    /// History reaches back over the WAL since the last checkpoint plus the older WAL files
    /// kept by ``Configuration/changeRetentionBytes``. `since` equal to the newest commit gives
    /// an empty feed.
    ///
    /// - Throws: ``StrataError/Code/changesUnavailable`` when commit `since + 1` is no longer
    ///   retained, or `since` is newer than the newest commit (a consumer that recorded a
    ///   commit a crash took back): the consumer must rebuild from the trees. The message names
    ///   ``oldestChangeSequence()``.
    public func changes(since: UInt64) throws -> ChangeFeed {
        try changes(since: since, filter: nil)
    }

    /// The smallest `since` ``changes(since:)`` accepts now: the commit before the oldest one
    /// the retained write-ahead log holds (the newest commit if it holds none).
    public func oldestChangeSequence() throws -> UInt64 {
        let through = try checkOpenedSequence()
        return try ChangeLog(directory: path, fileSystem: configuration.fileSystem).oldestSince(through: through)
    }

    func changes(since: UInt64, filter: ChangeFeed.Filter?) throws -> ChangeFeed {
        let through = try durableLatest()
        let log = ChangeLog(directory: path, fileSystem: configuration.fileSystem)
        guard since <= through else {
            throw StrataError(
                .changesUnavailable,
                "commit \(since) is newer than the newest commit \(through) (it was not durable when the database "
                    + "crashed, or belongs to another database); rebuild what was derived from the feed")
        }
        let position = try log.locate(since: since, through: through)
        return ChangeFeed(database: self, log: log, since: since, through: through, position: position, filter: filter)
    }

    /// The newest commit, made durable; after writes were disabled, the newest durable one.
    private func durableLatest() throws -> UInt64 {
        let applied = try checkOpenedSequence()
        if writeFailure.withLock({ $0 }) != nil { return min(applied, wal.durableSequence) }
        do {
            try wal.sync(through: applied)
        } catch {
            throw disableWrites(error, while: "syncing the WAL for the change feed")
        }
        return applied
    }

    private func checkOpenedSequence() throws -> UInt64 {
        try published.withLock { s in
            guard !s.closed else { throw closedError() }
            return s.sequence
        }
    }

    /// Throws ``StrataError/Code/closed`` once the database is closed.
    func checkOpen() throws {
        if published.withLock({ $0.closed }) { throw closedError() }
    }
}

extension Tree {
    /// The commits after commit `since` that changed this tree, each with only its changes to
    /// this tree: puts and removes of keys starting with `prefix` (empty: every key), and the
    /// tree's clear and drop. A filter over ``Database/changes(since:)``, with its guarantees
    /// and errors.
    public func changes(since: UInt64, prefix: [UInt8] = []) throws -> ChangeFeed {
        try database.changes(since: since, filter: ChangeFeed.Filter(tree: id, prefix: prefix))
    }
}
