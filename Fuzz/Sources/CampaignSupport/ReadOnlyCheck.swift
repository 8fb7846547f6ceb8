import StrataEngine
import StrataTestSupport
import Synchronization

/// The read-only open of a crash image, made before the read-write recovery opens it
/// (RECOVERY.md, "Opening without creating, and read-only"): the open must show a state of the
/// model at or after the last acknowledged durable commit, refuse every write with `readOnly`,
/// and leave every file and the directory listing byte for byte as they were. ``RecoveryCheck``
/// then checks that the read-write open succeeds exactly when this one did (failing with the
/// same error code) and recovers the very state this one showed.
public enum ReadOnlyCheck {
    /// How the check opens the image read-only; tests substitute a broken one.
    public typealias Opener = @Sendable (_ path: String, _ configuration: Database.Configuration) throws -> Database

    /// `Database.open`, as the engine does it.
    public static let engineOpen: Opener = { path, configuration in try Database.open(at: path, configuration: configuration) }

    /// How many read-only opens this process made: opened, and failed (`neverCreated` among them).
    public static let tally = Tally()

    /// Counters of read-only opens, for a campaign's summary line.
    public final class Tally: Sendable {
        /// Opens that succeeded (and passed).
        public let opened = Atomic(0)
        /// Opens that failed (compared with the read-write open).
        public let failed = Atomic(0)

        /// "N read-only opens, M of them failing" (in a passing campaign, only on images without
        /// a `SUPERBLOCK` yet: any other failure is a violation).
        public var summary: String {
            let failed = failed.load(ordering: .relaxed)
            return "\(opened.load(ordering: .relaxed) + failed) read-only opens, \(failed) of them failing"
        }
    }

    /// Whether the crash point or fault run keyed `key` gets the read-only check when a campaign
    /// checks 1 in `every` of them (`--read-only-every`): always for 1, never for 0 or less,
    /// otherwise a seeded choice, so rerunning an iteration makes the same choice.
    public static func sampled(_ key: UInt64, every: Int) -> Bool {
        guard every > 1 else { return every == 1 }
        var random = SeededRandom(seed: key ^ 0x5EAD_0417)
        return random.next() % UInt64(every) == 0
    }

    /// What the read-only open showed: the state, or the error it failed with.
    public struct Observation: Sendable {
        /// Every tree's contents, when the open succeeded.
        public var state: ModelState?
        /// The error the open threw, when it failed.
        public var error: String?
        /// That error's code, if it was a `StrataError`.
        public var code: StrataError.Code?
        /// Whether the open failed with `notFound` because the image has no `SUPERBLOCK` (the
        /// crash or fault came before the first open created it): a read-only open never
        /// creates a database, so the read-write open may create a new, empty one instead.
        public var neverCreated = false
    }

    /// Opens `image` read-only with `open`, reads every tree, tries to write, closes, and checks
    /// that no file or directory changed. Throws ``CampaignFailure`` on a violation; a failed open
    /// is no violation by itself (it is compared with the read-write open afterwards).
    public static func observe(
        image: MemoryFileSystem, path: String, history: ModelHistory, segmentGCRatio: Double, open: Opener = engineOpen
    ) throws -> Observation {
        let before = image.allEntries()
        var configuration = WorkloadRunner.configuration(
            fileSystem: ReadOnlyImageFileSystem(image: image), segmentGCRatio: segmentGCRatio)
        configuration.readOnly = true
        configuration.createIfMissing = false
        var observation = Observation()
        do {
            let db = try open(path, configuration)
            defer { try? db.close() }
            observation.state = try RecoveryCheck.matchState(db, history, what: "read-only open").1
            try checkWritesRefused(db)
            do { try db.close() } catch { throw CampaignFailure("closing the read-only open failed: \(error)") }
        } catch let failure as CampaignFailure {
            throw failure
        } catch {
            observation.error = "\(error)"
            observation.code = (error as? StrataError)?.code
            observation.neverCreated = observation.code == .notFound && before.files[path + "/SUPERBLOCK"] == nil
        }
        if observation.state == nil {
            tally.failed.add(1, ordering: .relaxed)
        } else {
            tally.opened.add(1, ordering: .relaxed)
        }
        if let change = difference(before, image.allEntries()) {
            throw CampaignFailure(
                "the read-only open "
                    + (observation.error.map { "(which failed: \($0)) " } ?? "")
                    + "changed the files: \(change)")
        }
        return observation
    }

    /// A write, creating a tree and a checkpoint must each throw `readOnly`.
    static func checkWritesRefused(_ db: Database) throws {
        func expectRefused(_ what: String, _ action: () throws -> Void) throws {
            do {
                try action()
            } catch let error as StrataError where error.code == .readOnly {
                return
            } catch {
                throw CampaignFailure("\(what) through the read-only open threw \(error), not readOnly")
            }
            throw CampaignFailure("\(what) through the read-only open was accepted")
        }
        let names = try db.read { $0.treeNames }
        if let name = names.first, let tree = try db.existingTree(name) {
            try expectRefused("a durable write") {
                try db.write(durability: .synced) { tx in try tx.insert([1], forKey: Array("read-only".utf8), in: tree) }
            }
        }
        if try db.existingTree("read-only-probe") == nil {
            try expectRefused("creating a tree") { _ = try db.tree("read-only-probe") }
        }
        try expectRefused("a checkpoint") { _ = try db.checkpoint() }
    }

    /// What differs between two listings of an image (directories and every file's bytes), or nil.
    public static func difference(
        _ before: (directories: Set<String>, files: [String: [UInt8]]),
        _ after: (directories: Set<String>, files: [String: [UInt8]])
    ) -> String? {
        var changes: [String] = []
        for directory in after.directories.subtracting(before.directories).sorted() { changes.append("directory \(directory) created") }
        for directory in before.directories.subtracting(after.directories).sorted() { changes.append("directory \(directory) removed") }
        for name in Set(before.files.keys).union(after.files.keys).sorted() {
            switch (before.files[name], after.files[name]) {
            case (nil, let new?): changes.append("\(name) created (\(new.count) bytes)")
            case (let old?, nil): changes.append("\(name) removed (was \(old.count) bytes)")
            case (let old?, let new?) where old != new:
                let first = (0..<min(old.count, new.count)).first { old[$0] != new[$0] } ?? min(old.count, new.count)
                changes.append("\(name) changed (\(old.count) -> \(new.count) bytes, first difference at \(first))")
            default: break
            }
        }
        return changes.isEmpty ? nil : changes.joined(separator: "; ")
    }
}
