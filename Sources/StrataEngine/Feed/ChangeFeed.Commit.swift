extension ChangeFeed {
    /// One commit read from the feed: its sequence number and its changes, in the order the
    /// transaction made them (only those the feed's filter lets through).
    ///
    /// A reader that keeps a derived index applies `changes` and records `sequence` together;
    /// after a restart it resumes with `changes(since: sequence)`.
    public struct Commit: Sendable, Equatable {
        /// The commit's sequence number.
        public var sequence: UInt64
        /// Its changes, in order; never empty.
        public var changes: [CommittedChange]

        /// Creates a commit.
        public init(sequence: UInt64, changes: [CommittedChange]) {
            self.sequence = sequence
            self.changes = changes
        }
    }

    /// Which changes a feed returns: those of one tree, and of its keys those starting with a prefix.
    struct Filter: Sendable {
        var tree: UInt32
        var prefix: [UInt8]

        func admits(_ change: CommittedChange) -> Bool {
            guard change.treeID == tree else { return false }
            switch change.kind {
            case .put(let key, _), .remove(let key): return key.starts(with: prefix)
            case .clear, .createTree, .dropTree: return true
            }
        }
    }
}
