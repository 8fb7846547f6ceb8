/// Keeps the segment files a reader may reach from being deleted until it is released.
final class ReaderPin: Sendable {
    let database: Database
    let epoch: UInt64

    init(database: Database, epoch: UInt64) {
        self.database = database
        self.epoch = epoch
    }

    deinit { database.releaseReader(epoch: epoch) }
}

/// A read-only view of one tree at one commit.
struct TreeView: Sendable {
    let state: TreeState
    let store: PageStore
    let pin: ReaderPin
}
