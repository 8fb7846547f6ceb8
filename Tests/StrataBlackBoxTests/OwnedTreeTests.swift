import Foundation
import StrataEngine
import Testing

/// Issue 9 item 4 as an adopter sees it: a layer owns its trees; everyone else only reads them.
@Suite struct OwnedTreeTests {
    let owner = TreeOwner("blackbox.layer")

    @Test func theOwnerWritesAndANonOwnerOnlyReads() throws {
        let temp = try TemporaryDatabase()
        let db = try temp.open()
        let owned = try db.ownedTree("layer.index", owner: owner)
        #expect(owned.isWritable)
        try owned.insert(bytes("v1"), forKey: bytes("k1"))
        try db.write { tx in try tx.insert(bytes("v2"), forKey: bytes("k2"), in: owned) }

        let stranger = try db.tree("layer.index")
        #expect(!stranger.isWritable)
        let existing = try #require(try db.existingTree("layer.index"))
        #expect(!existing.isWritable)
        #expect(try stranger.get(bytes("k1")) == bytes("v1"))
        #expect(try stranger.count == 2)

        // Every write path through a non-owner handle is refused, and nothing changes.
        expectCode(.ownedTree) { _ = try stranger.insert(bytes("x"), forKey: bytes("k1")) }
        expectCode(.ownedTree) { _ = try stranger.remove(bytes("k1")) }
        expectCode(.ownedTree) { try stranger.clear() }
        expectCode(.ownedTree) { _ = try stranger.compareAndSwap(bytes("k1"), expected: bytes("v1"), new: bytes("x")) }
        expectCode(.ownedTree) { _ = try stranger.updateAndFetch(bytes("k1")) { _ in bytes("x") } }
        expectCode(.ownedTree) { _ = try existing.insert(bytes("x"), forKey: bytes("k3")) }
        expectCode(.ownedTree) { try db.write { tx in try tx.insert(bytes("x"), forKey: bytes("k9"), in: stranger) } }
        expectCode(.ownedTree) { try db.write { tx in try tx[stranger].remove(bytes("k2")) } }
        expectCode(.ownedTree) { try db.write { tx in try tx.clear(stranger) } }
        expectCode(.ownedTree) { try db.write { tx in try tx.insert(bytes("x"), forKey: bytes("k9"), in: tx.tree("layer.index")) } }
        #expect(try allEntries(owned).map(\.key) == [bytes("k1"), bytes("k2")])
        #expect(try owned.get(bytes("k1")) == bytes("v1"))

        // A refused write inside a transaction leaves the transaction usable.
        let plain = try db.tree("plain")
        try db.write { tx in
            try tx.insert(bytes("p"), forKey: bytes("p"), in: plain)
            #expect(errorCode { try tx.insert(bytes("x"), forKey: bytes("k1"), in: stranger) } == .ownedTree)
        }
        #expect(try plain.get(bytes("p")) == bytes("p"))
        #expect(try owned.get(bytes("k1")) == bytes("v1"))

        // Snapshots and cursors through the stranger's handle read it.
        let snapshot = try db.snapshot()
        #expect(try snapshot[stranger].count == 2)
        #expect(try snapshot.tree(named: "layer.index")?.get(bytes("k2")) == bytes("v2"))
        try db.close()
    }

    @Test func anotherOwnerOrAnUnownedTreeIsRefused() throws {
        let temp = try TemporaryDatabase()
        let db = try temp.open()
        _ = try db.ownedTree("a", owner: owner)
        _ = try db.tree("plain")
        expectCode(.ownedTree, "another owner") { _ = try db.ownedTree("a", owner: TreeOwner("someone.else")) }
        expectCode(.ownedTree, "claiming an unowned tree") { _ = try db.ownedTree("plain", owner: owner) }
        expectCode(.invalidArgument, "empty owner id") { _ = try db.ownedTree("b", owner: TreeOwner("")) }
        expectCode(.invalidArgument, "owner id over 255 bytes") {
            _ = try db.ownedTree("b", owner: TreeOwner(String(repeating: "o", count: 256)))
        }
        expectCode(.invalidArgument, "reserved name") { _ = try db.ownedTree("__strata.x", owner: owner) }
        #expect(try db.treeNames() == ["a", "plain"])
        try db.close()
    }

    @Test func ownershipAndSettingsSurviveReopen() throws {
        let temp = try TemporaryDatabase()
        let settings = TreeSettings(largeValueThreshold: 512, compression: false)
        do {
            let db = try temp.open()
            let vectors = try db.ownedTree("vectors", owner: owner, settings: settings)
            try vectors.insert([UInt8](repeating: 7, count: 1536), forKey: bytes("v"))
            try db.close()
        }
        let db = try temp.open()
        let stranger = try db.tree("vectors")
        #expect(!stranger.isWritable)
        expectCode(.ownedTree) { _ = try stranger.insert(bytes("x"), forKey: bytes("v")) }
        expectCode(.ownedTree) { _ = try db.dropTree("vectors") }
        expectCode(.ownedTree) { _ = try db.ownedTree("vectors", owner: TreeOwner("other")) }
        // The owner gets its handle back, with its data; other settings than the stored ones are refused.
        let vectors = try db.ownedTree("vectors", owner: owner, settings: settings)
        #expect(vectors.isWritable)
        #expect(try vectors.get(bytes("v")) == [UInt8](repeating: 7, count: 1536))
        expectCode(.invalidArgument) {
            _ = try db.ownedTree("vectors", owner: owner, settings: TreeSettings(largeValueThreshold: 1024, compression: false))
        }
        expectCode(.invalidArgument) { _ = try db.tree("vectors", settings: TreeSettings(compression: true)) }
        #expect(try db.ownedTree("vectors", owner: owner).isWritable, "default settings accept the stored ones")
        try db.close()
    }

    @Test func dropTreeNeedsTheOwner() throws {
        let temp = try TemporaryDatabase()
        let db = try temp.open()
        let owned = try db.ownedTree("owned", owner: owner)
        try owned.insert(bytes("v"), forKey: bytes("k"))
        expectCode(.ownedTree) { _ = try db.dropTree("owned") }
        expectCode(.ownedTree) { _ = try db.dropTree("owned", owner: TreeOwner("other")) }
        #expect(try owned.get(bytes("k")) == bytes("v"))
        #expect(try db.dropTree("owned", owner: owner))
        #expect(try db.existingTree("owned") == nil)
        #expect(try db.dropTree("owned", owner: owner) == false)
        // The name is free again: an ordinary tree of that name is writable by anyone.
        let again = try db.tree("owned")
        #expect(again.isWritable)
        #expect(try again.get(bytes("k")) == nil)
        // The old owner's handle is dead: writing through it is `notFound`, not a write into the new tree.
        expectCode(.notFound) { _ = try owned.insert(bytes("x"), forKey: bytes("k")) }
        #expect(try again.count == 0)
        try db.close()
        let reopened = try temp.open()
        #expect(try reopened.tree("owned").isWritable)
        try reopened.close()
    }

    @Test func ownedTreeCreatedInsideATransaction() throws {
        let temp = try TemporaryDatabase()
        let db = try temp.open()
        try db.write { tx in
            let tree = try tx.ownedTree("made.in.tx", owner: owner)
            try tx.insert(bytes("v"), forKey: bytes("k"), in: tree)
            #expect(try tx[tree].get(bytes("k")) == bytes("v"))
        }
        #expect(try !db.tree("made.in.tx").isWritable)
        #expect(try db.tree("made.in.tx").get(bytes("k")) == bytes("v"))
        try db.close()
    }
}
