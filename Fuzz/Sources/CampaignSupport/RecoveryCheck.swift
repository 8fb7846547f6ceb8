#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import StrataEngine
import StrataTestSupport

/// The checks made on a database recovered after a crash, a kill or an I/O failure.
public enum RecoveryCheck {
    /// Whether to print crash images and files on failure (`STRATA_CAMPAIGN_VERBOSE=1`).
    public static let verbose = getenv("STRATA_CAMPAIGN_VERBOSE") != nil

    /// Every tree's contents, read with one snapshot.
    public static func readState(_ db: Database) throws -> ModelState {
        try db.read { snapshot in
            var state: ModelState = [:]
            for name in snapshot.treeNames {
                guard let tree = try db.existingTree(name) else { continue }
                var contents: [[UInt8]: [UInt8]] = [:]
                var cursor = try snapshot[tree].range(.unbounded, .unbounded)
                while let entry = try cursor.next() {
                    guard contents.updateValue(entry.value, forKey: entry.key) == nil else {
                        throw CampaignFailure("tree \(name): key \(Workload.text(entry.key)) returned twice by a scan")
                    }
                }
                let count = try snapshot[tree].count
                guard contents.count == count else {
                    throw CampaignFailure("tree \(name): count \(count) but a scan returned \(contents.count) keys")
                }
                state[name] = contents
            }
            return state
        }
    }

    /// The state of `db`, which must equal `history.states[k]` for some `k >= history.acknowledged`;
    /// returns `k`.
    public static func matchState(_ db: Database, _ history: ModelHistory, what: String) throws -> (Int, ModelState) {
        let state = try readState(db)
        guard let k = history.match(state) else {
            let acknowledged = history.states[history.acknowledged]
            let nearest = (0..<history.states.count).first { history.states[$0] == state }
            throw CampaignFailure(
                "\(what): the state matches no commit k >= \(history.acknowledged) (last acknowledged durable) of "
                    + "\(history.states.count - 1); "
                    + (nearest.map { "it equals the state after commit \($0) (lost acknowledged commits)" }
                        ?? "it equals no commit at all (partial batch or resurrected/lost keys)")
                    + "; versus acknowledged: \(ModelHistory.difference(state, acknowledged))"
                    + "; versus latest: \(ModelHistory.difference(state, history.current))")
        }
        return (k, state)
    }

    /// Checks the change feed of a recovered database: it holds every commit from the oldest
    /// retained through the recovered sequence, in order, none torn or extra; when the retained
    /// history reaches back to the first commit, replaying it gives exactly the recovered state.
    static func checkChangeFeed(_ db: Database, recovered: ModelState, k: Int) throws {
        do {
            let oldest = try db.oldestChangeSequence()
            var feed = try db.changes(since: oldest)
            var state: ModelState = [:]
            var names: [UInt32: String] = [:]
            var last = oldest
            while let commit = try feed.next() {
                guard commit.sequence == last + 1 else {
                    throw CampaignFailure("the change feed after recovering commit \(k) skips from \(last) to \(commit.sequence)")
                }
                last = commit.sequence
                for change in commit.changes {
                    switch change.kind {
                    case .createTree(let name):
                        names[change.treeID] = name
                        state[name] = [:]
                    case .dropTree:
                        names[change.treeID].map { state[$0] = nil }
                        names[change.treeID] = nil
                    case .clear: names[change.treeID].map { state[$0] = [:] }
                    case .put(let key, let value): names[change.treeID].map { state[$0, default: [:]][key] = value }
                    case .remove(let key): names[change.treeID].map { state[$0, default: [:]][key] = nil }
                    }
                }
            }
            let sequence = try db.statistics().sequence
            guard last == sequence else {
                throw CampaignFailure("the change feed after recovering commit \(k) ends at \(last), not at the recovered \(sequence)")
            }
            guard oldest > 0 || state == recovered else {
                throw CampaignFailure(
                    "replaying the change feed after recovering commit \(k) gives another state: "
                        + ModelHistory.difference(state, recovered))
            }
        } catch let failure as CampaignFailure {
            throw failure
        } catch {
            throw CampaignFailure("reading the change feed after recovering commit \(k) failed: \(error)")
        }
    }

    /// Checks a crash image: first, unless `readOnly` is false, a read-only open of it
    /// (``ReadOnlyCheck``, made with `readOnlyOpen`) shows a state of the model, refuses writes
    /// and changes no file; then it opens read-write, exactly when the read-only open did
    /// (or fails with the same error code), to the state the read-only open showed; its state is the model after some commit k at or after
    /// the last acknowledged durable one; `verify()` passes; the change feed holds exactly the
    /// recovered commits; a second crash right after the
    /// recovery (before any write) recovers the same state; the database takes a durable write
    /// afterwards, and that write and everything before it survive a clean close and reopen.
    ///
    /// Returns nil, or what went wrong.
    public static func check(
        image: MemoryFileSystem, path: String, history: ModelHistory, segmentGCRatio: Double,
        using rng: inout SeededRandom, readOnly: Bool = true, readOnlyOpen: ReadOnlyCheck.Opener = ReadOnlyCheck.engineOpen
    ) -> String? {
        do {
            try checkThrowing(
                image: image, path: path, history: history, segmentGCRatio: segmentGCRatio, using: &rng,
                readOnly: readOnly, readOnlyOpen: readOnlyOpen)
            return nil
        } catch {
            return "\(error)"
        }
    }

    static func checkThrowing(
        image: MemoryFileSystem, path: String, history: ModelHistory, segmentGCRatio: Double,
        using rng: inout SeededRandom, readOnly: Bool, readOnlyOpen: ReadOnlyCheck.Opener
    ) throws {
        if verbose {
            let (_, files) = image.allEntries()
            if let dump = getenv("STRATA_CAMPAIGN_DUMP").map({ String(cString: $0) }), access(dump + "/SUPERBLOCK", F_OK) != 0 {
                for (name, bytes) in files {
                    let target = dump + "/" + name.split(separator: "/").last!
                    if let out = fopen(target, "wb") {
                        _ = bytes.withUnsafeBytes { fwrite($0.baseAddress, 1, $0.count, out) }
                        fclose(out)
                    }
                }
            }
            CampaignOutput.progress("crash image: " + files.keys.sorted().map { "\($0) (\(files[$0]!.count) bytes)" }.joined(separator: ", "))
        }
        // Read-only first: it must leave the image exactly as the read-write open then finds it.
        let viewed = try readOnly
            ? ReadOnlyCheck.observe(image: image, path: path, history: history, segmentGCRatio: segmentGCRatio, open: readOnlyOpen)
            : nil
        let fileSystem = CrashSimulatingFileSystem(startingFrom: image)
        let configuration = WorkloadRunner.configuration(fileSystem: fileSystem, segmentGCRatio: segmentGCRatio)
        let db: Database
        do {
            db = try Database.open(at: path, configuration: configuration)
        } catch {
            let readOnlyOutcome = viewed.map { viewed in
                viewed.state != nil ? " (the read-only open succeeded)"
                    : viewed.code != (error as? StrataError)?.code ? " (the read-only open failed otherwise: \(viewed.error ?? ""))" : ""
            }
            throw CampaignFailure("open after the crash failed: \(error)" + (readOnlyOutcome ?? ""))
        }
        defer { try? db.close() }
        if let viewed, viewed.state == nil, !viewed.neverCreated {
            throw CampaignFailure("the read-only open failed (\(viewed.error ?? "")) but the read-write open succeeded")
        }
        let (k, recovered) = try matchState(db, history, what: "first recovery")
        if let viewed, viewed.neverCreated, !recovered.isEmpty {
            throw CampaignFailure(
                "the image has no SUPERBLOCK (the read-only open found no database), yet the read-write open recovered "
                    + "commit \(k): " + ModelHistory.difference(recovered, [:]))
        }
        if let shown = viewed?.state, shown != recovered {
            throw CampaignFailure(
                "the read-only open showed another state than the read-write open recovered (commit \(k)): "
                    + ModelHistory.difference(shown, recovered))
        }
        if verbose { CampaignOutput.progress("recovered segments: \((try? db.statistics().segments) ?? [])") }
        do { _ = try db.verify() } catch { throw CampaignFailure("verify() after recovery (k = \(k)) failed: \(error)") }
        try checkChangeFeed(db, recovered: recovered, k: k)

        // Power loss again, right after recovery: recovery's own changes must be crash-safe.
        let mode = CrashMode.allCases.randomElement(using: &rng)!
        let second = fileSystem.crashImage(using: &rng, mode: mode)
        do {
            let again = try Database.open(
                at: path, configuration: WorkloadRunner.configuration(fileSystem: second, segmentGCRatio: segmentGCRatio))
            defer { try? again.close() }
            let state = try readState(again)
            guard state == recovered else {
                throw CampaignFailure(
                    "a second crash (\(mode)) right after recovering commit \(k) recovered a different state: "
                        + ModelHistory.difference(state, recovered))
            }
            _ = try again.verify()
        } catch let failure as CampaignFailure {
            throw failure
        } catch {
            throw CampaignFailure("recovering a second time (after a \(mode) crash right after the first recovery) failed: \(error)")
        }

        // The database takes writes, and they survive a clean close and reopen.
        var expected = recovered
        do {
            let tree = try db.tree("after")
            let value = rng.bytes(count: Int.random(in: 0...2000, using: &rng))
            try db.write(durability: .synced) { tx in try tx.insert(value, forKey: Array("k".utf8), in: tree) }
            expected["after", default: [:]][Array("k".utf8)] = value
            if let t0 = try db.existingTree(Workload.treeNames[0]) {
                try db.write { tx in try tx.remove(Array("k0".utf8), from: t0) }
                expected[Workload.treeNames[0]]![Array("k0".utf8)] = nil
            }
            try db.close()
        } catch {
            if verbose {
                CampaignOutput.progress("files now: \((try? fileSystem.contentsOfDirectory(path).sorted()) ?? [])")
            }
            throw CampaignFailure("writing after recovering commit \(k) failed: \(error)")
        }
        do {
            let reopened = try Database.open(at: path, configuration: configuration)
            defer { try? reopened.close() }
            let state = try readState(reopened)
            guard state == expected else {
                throw CampaignFailure(
                    "after recovering commit \(k), writing and closing cleanly, a reopen found: "
                        + ModelHistory.difference(state, expected))
            }
            _ = try reopened.verify()
        } catch let failure as CampaignFailure {
            throw failure
        } catch {
            throw CampaignFailure("reopening after writes following recovery of commit \(k) failed: \(error)")
        }
    }
}
