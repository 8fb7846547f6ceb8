extension Transaction {
    /// Registers `action` to run once this transaction has committed, with the commit's sequence
    /// number (the ``Snapshot/sequence`` of every snapshot that sees it).
    ///
    /// Actions run in the order registered, after the commit is published (a snapshot taken now
    /// sees it) and still under the writer lock, so no later commit has started: a layer can
    /// publish what it knows about the commit (a cache of derived state) before the next writer
    /// reads it. They never run for a transaction that throws, whose commit fails, or that
    /// changes nothing (no commit is made). Keep them short and non-throwing; they must not
    /// write to the database.
    ///
    /// - Throws: `closed` outside the write closure.
    public func afterCommit(_ action: @escaping (UInt64) -> Void) throws {
        guard isOpen else { throw StrataError(.closed, "the transaction is over; use it only inside its write closure") }
        commitActions.append(action)
    }
}
