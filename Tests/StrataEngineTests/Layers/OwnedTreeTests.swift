import StrataTestSupport
import Testing

@testable import StrataEngine

/// Trees a layer owns: only handles obtained with the owner write them, through any path;
/// everyone else reads them. Ownership is persisted and survives reopen.
@Suite struct OwnedTreeTests {
    static let graph = TreeOwner("strata.graph")

    /// A database with an owned tree "nodes" holding key [1] → [1].
    static func openWithOwnedTree(_ fs: MemoryFileSystem) throws -> (Database, Tree) {
        var configuration = Database.Configuration(fileSystem: fs)
        configuration.flushInterval = nil
        let db = try Database.open(at: "/db", configuration: configuration)
        let nodes = try db.ownedTree("nodes", owner: graph)
        try nodes.insert([1], forKey: [1])
        return (db, nodes)
    }

    /// Every public way to write through `tree` (a plain handle of an owned tree): each throws
    /// `.ownedTree` and changes nothing.
    static func expectEveryWriteRefused(_ db: Database, _ tree: Tree) throws {
        let sequence = try db.statistics().sequence
        #expect(!tree.isWritable)
        expectStrataError(.ownedTree) { try tree.insert([2], forKey: [2]) }
        expectStrataError(.ownedTree) { try tree.remove([1]) }
        expectStrataError(.ownedTree) { try tree.compareAndSwap([1], expected: [1], new: [9]) }
        expectStrataError(.ownedTree) { try tree.updateAndFetch([1]) { _ in [9] } }
        expectStrataError(.ownedTree) { try tree.clear() }
        expectStrataError(.ownedTree) { try db.write { tx in try tx.insert([2], forKey: [2], in: tree) } }
        expectStrataError(.ownedTree) { try db.write { tx in try tx.remove([1], from: tree) } }
        expectStrataError(.ownedTree) { try db.write { tx in try tx.clear(tree) } }
        expectStrataError(.ownedTree) { try db.write { tx in try tx.insert([3], forKey: [3], in: try tx.tree("nodes")) } }
        expectStrataError(.ownedTree) { try db.dropTree("nodes") }
        expectStrataError(.ownedTree) { try db.write { tx in _ = try tx.dropTree("nodes") } }
        expectStrataError(.ownedTree) { try db.dropTree("nodes", owner: TreeOwner("someone.else")) }
        expectStrataError(.ownedTree) { try db.ownedTree("nodes", owner: TreeOwner("someone.else")) }
        // Nothing was committed, and the tree still reads.
        #expect(try db.statistics().sequence == sequence)
        #expect(try tree.get([1]) == [1])
        #expect(try tree.count == 1)
    }

    @Test func aPlainCallerCannotWriteAnOwnedTreeThroughAnyPath() throws {
        let fs = MemoryFileSystem()
        let (db, nodes) = try Self.openWithOwnedTree(fs)
        #expect(nodes.isWritable)
        try Self.expectEveryWriteRefused(db, try db.tree("nodes"))
        try Self.expectEveryWriteRefused(db, try #require(try db.existingTree("nodes")))
        try db.close()
    }

    @Test func theOwnerWritesClearsAndDrops() throws {
        let fs = MemoryFileSystem()
        let (db, nodes) = try Self.openWithOwnedTree(fs)
        try db.write { tx in
            try tx.insert([2], forKey: [2], in: nodes)
            try tx.remove([1], from: nodes)
        }
        #expect(try nodes.get([2]) == [2])
        #expect(try nodes.compareAndSwap([2], expected: [2], new: [3]) == .swapped)
        try nodes.clear()
        #expect(try nodes.isEmpty)
        // A second handle for the same owner writes too, also inside a transaction.
        try db.write { tx in try tx.insert([4], forKey: [4], in: try tx.ownedTree("nodes", owner: Self.graph)) }
        #expect(try db.ownedTree("nodes", owner: Self.graph).get([4]) == [4])
        #expect(try db.dropTree("nodes", owner: Self.graph))
        #expect(try db.existingTree("nodes") == nil)
        try db.close()
    }

    @Test func ownershipSurvivesReopen() throws {
        let fs = MemoryFileSystem()
        let (db, _) = try Self.openWithOwnedTree(fs)
        try db.close()
        var configuration = Database.Configuration(fileSystem: fs)
        configuration.flushInterval = nil
        let reopened = try Database.open(at: "/db", configuration: configuration)
        try Self.expectEveryWriteRefused(reopened, try reopened.tree("nodes"))
        let nodes = try reopened.ownedTree("nodes", owner: Self.graph)
        try nodes.insert([5], forKey: [5])
        #expect(try nodes.count == 2)
        try reopened.close()
    }

    @Test func anOwnerCannotClaimAnUnownedTree() throws {
        let fs = MemoryFileSystem()
        let db = try Database.open(at: "/db", configuration: Database.Configuration(fileSystem: fs))
        let plain = try db.tree("plain")
        try plain.insert([1], forKey: [1])
        expectStrataError(.ownedTree) { try db.ownedTree("plain", owner: Self.graph) }
        expectStrataError(.invalidArgument) { try db.ownedTree("x", owner: TreeOwner("")) }
        #expect(try db.treeNames() == ["plain"])
        #expect(plain.isWritable)
        try db.close()
    }

    @Test func aTreeCreatedOwnedInATransactionIsReadOnlyToPlainHandlesInIt() throws {
        let fs = MemoryFileSystem()
        let db = try Database.open(at: "/db", configuration: Database.Configuration(fileSystem: fs))
        try db.write { tx in
            let owned = try tx.ownedTree("edges", owner: Self.graph)
            try tx.insert([1], forKey: [1], in: owned)
            let plain = try tx.tree("edges")
            #expect(!plain.isWritable)
            expectStrataError(.ownedTree) { try tx.insert([2], forKey: [2], in: plain) }
            expectStrataError(.ownedTree) { _ = try tx.dropTree("edges") }
        }
        #expect(try db.existingTree("edges")?.count == 1)
        try db.close()
    }
}

/// Salvage keeps each tree's owner and settings, from the catalog and from the WAL.
@Suite struct OwnedTreeSalvageTests {
    @Test func salvageKeepsOwnersAndSettings() throws {
        let fs = MemoryFileSystem()
        var configuration = Database.Configuration(fileSystem: fs)
        configuration.flushInterval = nil
        let settings = TreeSettings(largeValueThreshold: 128, compression: false)
        let db = try Database.open(at: "/db", configuration: configuration)
        try db.ownedTree("checkpointed", owner: TreeOwner("graph"), settings: settings).insert([1], forKey: [1])
        try db.checkpoint()
        try db.ownedTree("logged", owner: TreeOwner("hnsw"), settings: settings).insert([2], forKey: [2])
        try db.flush()
        // The directory as a crash leaves it ("logged" is only in the WAL).
        let crashed = MemoryFileSystem()
        let (directories, files) = fs.allEntries()
        for directory in directories.sorted() { try crashed.createDirectory(directory) }
        for (path, bytes) in files { crashed.setContents(bytes, of: path) }
        try db.close()
        configuration.fileSystem = crashed
        _ = try Database.salvage(from: "/db", into: "/copy", configuration: configuration)

        let copy = try Database.open(at: "/copy", configuration: configuration)
        for (name, owner) in [("checkpointed", "graph"), ("logged", "hnsw")] {
            let state = try #require(try copy.treeState(named: name))
            #expect(state.owner == owner)
            #expect(state.settings == settings)
            #expect(state.count == 1)
            #expect(try !copy.tree(name).isWritable)
        }
        try copy.close()
    }
}
