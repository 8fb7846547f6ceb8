import StrataEngine
import StrataTestSupport

/// Bit rot after a crash: one byte changed in a superblock slot or in the newest checkpoint's
/// catalog page of a crash image, then open.
///
/// What must hold (RECOVERY.md, "Two slots"): with one slot damaged and the other valid, open
/// recovers a state of the model at or after the last acknowledged durable commit (the older
/// slot keeps its segments and WAL files); otherwise open may refuse, but only with
/// `corruption` and with every file as it was. Never a crash, never a silent loss.
public enum DamageCheck {
    /// Where the byte is changed.
    public enum Target: String, Sendable, CaseIterable {
        case newestSlot, olderSlot, catalog
    }

    /// One slot of the `SUPERBLOCK` file, as far as the check needs it.
    struct Slot {
        var index: Int
        var valid: Bool
        var epoch: UInt64
        var catalog: (segment: UInt32, offset: UInt32, length: UInt32)?
    }

    static func slots(_ bytes: [UInt8]) -> [Slot] {
        (0..<2).map { index in
            let base = index * 4096
            guard base + 128 <= bytes.count else { return Slot(index: index, valid: false, epoch: 0, catalog: nil) }
            var sealed = Array(bytes[base..<base + 128])
            ChecksumSealer.sealSuperblockSlot(&sealed)
            let valid = bytes[base..<base + 8].elementsEqual("STRATASB".utf8) && sealed.elementsEqual(bytes[base..<base + 128])
            let catalog =
                bytes[base + 56] == 1
                ? (uint32(bytes, base + 57), uint32(bytes, base + 61), uint32(bytes, base + 65)) : nil
            return Slot(index: index, valid: valid, epoch: uint64(bytes, base + 16), catalog: catalog)
        }
    }

    /// Changes one byte of `target` in a copy of `image`, opens it, and checks the outcome.
    /// Returns nil when the target does not exist in this image (no older slot, no catalog) or
    /// all is well; otherwise the violation.
    public static func check(
        image: MemoryFileSystem, path: String, history: ModelHistory, segmentGCRatio: Double, target: Target,
        using rng: inout SeededRandom
    ) -> String? {
        let (directories, files) = image.allEntries()
        guard let superblock = files[path + "/SUPERBLOCK"] else { return nil }
        let valid = slots(superblock).filter(\.valid).sorted { $0.epoch < $1.epoch }
        guard let newest = valid.last else { return nil }
        let older = valid.count == 2 ? valid[0] : nil

        let damaged = MemoryFileSystem()
        for directory in directories { try? damaged.createDirectory(directory) }
        for (file, bytes) in files { damaged.setContents(bytes, of: file) }
        let expectOpen: Bool
        let what: String
        switch target {
        case .newestSlot, .olderSlot:
            guard let slot = target == .newestSlot ? newest : older else { return nil }
            var bytes = superblock
            bytes[slot.index * 4096 + Int.random(in: 0..<128, using: &rng)] ^= UInt8.random(in: 1...255, using: &rng)
            damaged.setContents(bytes, of: path + "/SUPERBLOCK")
            // The other slot is intact: open must use it and lose no durable commit.
            expectOpen = target == .olderSlot || older != nil
            what = "a byte changed in superblock slot \(slot.index) (the \(target == .newestSlot ? "newest" : "older"), epoch \(slot.epoch))"
        case .catalog:
            guard let catalog = newest.catalog else { return nil }
            let digits = String(catalog.segment)
            let file = path + "/seg-" + String(repeating: "0", count: max(0, 8 - digits.count)) + digits + ".dat"
            guard var bytes = files[file], Int(catalog.offset) + Int(catalog.length) <= bytes.count else { return nil }
            bytes[Int(catalog.offset) + Int.random(in: 0..<Int(catalog.length), using: &rng)] ^= UInt8.random(in: 1...255, using: &rng)
            damaged.setContents(bytes, of: file)
            expectOpen = false
            what = "a byte changed in the newest checkpoint's catalog page (\(file) @ \(catalog.offset))"
        }

        let before = damaged.allEntries().files.filter { !$0.key.hasSuffix("/LOCK") }
        let configuration = WorkloadRunner.configuration(fileSystem: damaged, segmentGCRatio: segmentGCRatio)
        let db: Database
        do {
            db = try Database.open(at: path, configuration: configuration)
        } catch let error as StrataError where error.code == .corruption {
            if expectOpen { return "\(what): open failed although the other slot is intact: \(error)" }
            let after = damaged.allEntries().files.filter { !$0.key.hasSuffix("/LOCK") }
            guard after == before else {
                let changed = Set(before.keys).union(after.keys).filter { before[$0] != after[$0] }.sorted()
                return "\(what): open refused (\(error)) but changed files: \(changed)"
            }
            return nil
        } catch {
            return "\(what): open failed with \(error), not corruption"
        }
        defer { try? db.close() }
        do {
            _ = try RecoveryCheck.matchState(db, history, what: what)
            _ = try db.verify()
        } catch {
            return "\(what): \(error)"
        }
        return nil
    }

    static func uint32(_ bytes: [UInt8], _ at: Int) -> UInt32 {
        (0..<4).reduce(UInt32(0)) { $0 | UInt32(bytes[at + $1]) << (8 * $1) }
    }

    static func uint64(_ bytes: [UInt8], _ at: Int) -> UInt64 {
        (0..<8).reduce(UInt64(0)) { $0 | UInt64(bytes[at + $1]) << (8 * $1) }
    }
}
