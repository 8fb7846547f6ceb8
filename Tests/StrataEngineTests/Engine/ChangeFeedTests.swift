import StrataEngine
import StrataTestSupport
import Testing

/// The change feed: every commit after a sequence number, read from the retained WAL, across
/// reopen and crash, bounded by the retention knob, while a writer goes on.
@Suite struct ChangeFeedTests {
    static func configuration(_ fs: any FileSystem, retention: Int = 64 << 20) -> Database.Configuration {
        var configuration = EngineFixtures.smallConfiguration(fs)
        configuration.changeRetentionBytes = retention
        return configuration
    }

    /// Every commit of `feed`, read to its end.
    static func read(_ feed: ChangeFeed) throws -> [ChangeFeed.Commit] {
        var feed = feed
        var commits: [ChangeFeed.Commit] = []
        while let commit = try feed.next() { commits.append(commit) }
        return commits
    }

    /// A random workload of puts, removes, clears, creates and drops, with checkpoints.
    static func workload(_ db: Database, commits: Int, rng: inout SeededRandom) throws {
        let names = ["a", "b", "c"]
        for _ in 0..<commits {
            let name = names[Int.random(in: 0..<names.count, using: &rng)]
            switch Int.random(in: 0..<100, using: &rng) {
            case 0..<2: try db.dropTree(name)
            case 2..<4: try db.tree(name).clear()
            case 4..<6: try db.checkpoint()
            default:
                let tree = try db.tree(name)
                try db.write { tx in
                    for _ in 0..<Int.random(in: 1...5, using: &rng) {
                        let key = EngineFixtures.key(&rng, space: 200)
                        if Int.random(in: 0..<4, using: &rng) == 0 {
                            try tx.remove(key, from: tree)
                        } else {
                            try tx.insert(EngineFixtures.value(&rng), forKey: key, in: tree)
                        }
                    }
                }
            }
        }
    }

    @Test func replaysToTheContentsAcrossACleanReopen() throws {
        var rng = SeededRandom(seed: SeededRandom.seedFromEnvironment() ?? 31)
        let fs = MemoryFileSystem()
        let db = try Database.open(at: "/db", configuration: Self.configuration(fs))
        try Self.workload(db, commits: 400, rng: &rng)
        let before = try Self.read(try db.changes(since: 0))
        let latest = try db.statistics().sequence
        #expect(before.map(\.sequence) == Array(1...latest), "\(rng.seedDescription)")
        var replayed = FeedReplay()
        replayed.apply(before)
        #expect(replayed.model == (try EngineFixtures.contents(of: db)), "\(rng.seedDescription)")
        try db.close()

        let reopened = try Database.open(at: "/db", configuration: Self.configuration(fs))
        #expect(try Self.read(try reopened.changes(since: 0)) == before, "\(rng.seedDescription)")
        let middle = before[before.count / 2].sequence
        #expect(try Self.read(try reopened.changes(since: middle)) == Array(before.drop { $0.sequence <= middle }))
        try reopened.close()
    }

    @Test func sinceTheNewestCommitIsEmptyAndANewerOneIsUnavailable() throws {
        let db = try Database.open(at: "/db", configuration: Self.configuration(MemoryFileSystem()))
        #expect(try Self.read(try db.changes(since: 0)).isEmpty)
        try db.tree("t").insert([1], forKey: [1])
        let latest = try db.statistics().sequence
        #expect(try Self.read(try db.changes(since: latest)).isEmpty)
        expectStrataError(.changesUnavailable) { try db.changes(since: latest + 1) }
        #expect(try db.tree("t").get([1]) == [1])
        try db.close()
        expectStrataError(.closed) { try db.changes(since: 0) }
    }

    @Test func aFeedEndsAtTheCommitNewestWhenItWasMade() throws {
        let db = try Database.open(at: "/db", configuration: Self.configuration(MemoryFileSystem()))
        let tree = try db.tree("t")
        try tree.insert([1], forKey: [1])
        var feed = try db.changes(since: 0)
        try tree.insert([2], forKey: [2])
        var sequences: [UInt64] = []
        while let commit = try feed.next() { sequences.append(commit.sequence) }
        #expect(sequences == [1, 2])
        #expect(feed.through == 2)
        #expect(try Self.read(try db.changes(since: 2)).map(\.sequence) == [3])
        #expect(try db.statistics().durableSequence == 3, "the feed makes what it returns durable")
        try db.close()
    }

    /// With no retention, history starts at the last checkpoint; with a small one, the kept
    /// files stay under the bound and asking before them throws, naming where history starts.
    @Test(arguments: [0, 200 << 10])
    func olderThanTheRetainedHistoryThrowsATypedError(retention: Int) throws {
        var rng = SeededRandom(seed: SeededRandom.seedFromEnvironment() ?? 32)
        let fs = MemoryFileSystem()
        let db = try Database.open(at: "/db", configuration: Self.configuration(fs, retention: retention))
        try Self.workload(db, commits: 1500, rng: &rng)
        try db.checkpoint()
        let oldest = try db.oldestChangeSequence()
        #expect(oldest > 0)
        do {
            _ = try db.changes(since: oldest - 1)
            Issue.record("a feed before the retained history was made")
        } catch let error as StrataError {
            #expect(error.code == .changesUnavailable)
            #expect(error.message.contains("changes(since: \(oldest))"), "\(error)")
        }
        let latest = try db.statistics().sequence
        let commits = try Self.read(try db.changes(since: oldest))
        #expect(commits.map(\.sequence) == Array((oldest + 1)..<(latest + 1)))
        if retention == 0 { #expect(oldest == latest, "no retention keeps nothing past the checkpoint") }
        try db.close()

        // The files kept beyond what recovery needs (the newest file, and the one the older
        // superblock slot replays from) stay within the bound, and reopen keeps them.
        let walSizes = try fs.contentsOfDirectory("/db").filter { $0.hasPrefix("wal-") }.sorted()
            .map { try fs.openFile("/db/" + $0, create: false).length() }
        #expect(walSizes.dropLast(2).reduce(0, +) <= Int64(retention))
        let reopened = try Database.open(at: "/db", configuration: Self.configuration(fs, retention: retention))
        #expect(try reopened.oldestChangeSequence() == oldest)
        try reopened.close()
    }

    @Test func lowerRetentionPrunesAtOpen() throws {
        var rng = SeededRandom(seed: SeededRandom.seedFromEnvironment() ?? 33)
        let fs = MemoryFileSystem()
        let db = try Database.open(at: "/db", configuration: Self.configuration(fs))
        try Self.workload(db, commits: 1000, rng: &rng)
        try db.close()
        let walFiles = { try fs.contentsOfDirectory("/db").filter { $0.hasPrefix("wal-") }.count }
        #expect(try walFiles() > 2)
        let reopened = try Database.open(at: "/db", configuration: Self.configuration(fs, retention: 0))
        // Only what recovery needs is left: the newest file and the older slot's replay start.
        #expect(try walFiles() <= 2)
        let oldest = try reopened.oldestChangeSequence()
        let commits = try Self.read(try reopened.changes(since: oldest))
        #expect(commits.map(\.sequence) == Array((oldest + 1)..<(try reopened.statistics().sequence + 1)))
        try reopened.close()
    }

    @Test func filtersByTreeAndPrefix() throws {
        let db = try Database.open(at: "/db", configuration: Self.configuration(MemoryFileSystem()))
        let a = try db.tree("a")
        let b = try db.tree("b")
        try db.write { tx in
            try tx.insert([1], forKey: [7, 1], in: a)
            try tx.insert([2], forKey: [8, 1], in: a)
            try tx.insert([3], forKey: [7, 1], in: b)
        }
        try b.insert([4], forKey: [7, 2])
        try a.remove([7, 1])
        try a.clear()
        try db.dropTree("a")

        let commits = try Self.read(try a.changes(since: 0, prefix: [7]))
        let kinds = commits.map { $0.changes.map(\.kind) }
        #expect(
            kinds == [
                [.createTree(name: "a")], [.put(key: [7, 1], value: [1])], [.remove(key: [7, 1])], [.clear], [.dropTree],
            ])
        #expect(commits.allSatisfy { $0.changes.allSatisfy { $0.treeID == a.id } })
        let all = try Self.read(try db.changes(since: 0))
        #expect(all.count == 7)
        #expect(all[2].changes.count == 3)
        try db.close()
    }

    /// A reader catches up, feed after feed, while a writer commits; it sees every commit once,
    /// in order, and ends with the writer's state.
    @Test func readsWhileAWriterGoesOn() async throws {
        let fs = MemoryFileSystem()
        let db = try Database.open(at: "/db", configuration: Self.configuration(fs))
        let tree = try db.tree("t")
        let commits = 600
        let writer = Task.detached {
            for i in 0..<commits {
                try tree.insert([UInt8](repeating: UInt8(i % 251), count: 300), forKey: Array("k\(i % 97)".utf8))
            }
        }
        var replay = FeedReplay()
        var since: UInt64 = 0
        var feeds = 0
        while since < UInt64(commits) + 1, feeds < 1_000_000 {
            var feed = try db.changes(since: since)
            while let commit = try feed.next() {
                #expect(commit.sequence == since + 1)
                replay.apply([commit])
                since = commit.sequence
            }
            feeds += 1
            await Task.yield()
        }
        try await writer.value
        #expect(replay.model == (try EngineFixtures.contents(of: db)))
        try db.close()
    }

    /// A crash at a random point: after recovery the feed holds exactly the recovered commits
    /// (replaying it gives the recovered state; nothing torn, nothing after the recovered
    /// sequence), and every commit a feed returned before the crash survives unchanged.
    @Test(arguments: 0..<4)
    func afterACrashTheFeedHoldsExactlyTheRecoveredCommits(batch: Int) throws {
        let base = SeededRandom.seedFromEnvironment() ?? 7700
        for round in 0..<6 {
            var rng = SeededRandom(seed: base &+ UInt64(batch * 100 + round))
            let fs = CrashSimulatingFileSystem()
            let db = try Database.open(at: "/db", configuration: Self.configuration(fs))
            try Self.workload(db, commits: 150, rng: &rng)
            let seen = try Self.read(try db.changes(since: 0))
            fs.crashAfterOperations = fs.operationCount + Int.random(in: 0...200, using: &rng)
            do {
                try Self.workload(db, commits: 5000, rng: &rng)
            } catch {
                #expect(fs.hasCrashed, "only the crash may fail the workload: \(error), \(rng.seedDescription)")
            }
            #expect(fs.hasCrashed, "\(rng.seedDescription)")
            try? db.close()
            for mode in CrashMode.allCases {
                let context = "mode \(mode), \(rng.seedDescription)"
                let recovered = try Database.open(at: "/db", configuration: Self.configuration(fs.crashImage(using: &rng, mode: mode)))
                let feed = try Self.read(try recovered.changes(since: 0))
                let sequence = try recovered.statistics().sequence
                #expect(feed.map(\.sequence) == Array(1..<(sequence + 1)), "\(context)")
                #expect(Array(feed.prefix(seen.count)) == seen, "a commit the feed returned was lost, \(context)")
                var replay = FeedReplay()
                replay.apply(feed)
                #expect(replay.model == (try EngineFixtures.contents(of: recovered)), "\(context)")
                try recovered.close()
            }
        }
    }
}

/// A ``ReferenceModel`` rebuilt from feed commits (tree ids resolved through the creates seen).
struct FeedReplay {
    var model = ReferenceModel()
    var names: [UInt32: String] = [:]

    mutating func apply(_ commits: [ChangeFeed.Commit]) {
        for commit in commits {
            for change in commit.changes {
                if case .createTree(let name) = change.kind {
                    names[change.treeID] = name
                    model.createTree(name)
                    continue
                }
                guard let name = names[change.treeID] else {
                    Issue.record("change to tree \(change.treeID) before its creation")
                    continue
                }
                switch change.kind {
                case .put(let key, let value): _ = model.insert(value, forKey: key, in: name)
                case .remove(let key): _ = model.remove(key, from: name)
                case .clear: model.clear(name)
                case .dropTree:
                    _ = model.drop(name)
                    names[change.treeID] = nil
                case .createTree: break
                }
            }
        }
    }
}
