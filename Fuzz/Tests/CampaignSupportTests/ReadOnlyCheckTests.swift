import CampaignSupport
import StrataEngine
import StrataTestSupport
import Testing

/// The read-only part of the recovery check passes on a good crash image and is not vacuous:
/// an open that writes, a hook that creates a file, an open showing another state and an open
/// failing where the read-write one succeeds are each reported.
@Suite struct ReadOnlyCheckTests {
    /// Two non-durable commits on `fileSystem`, closed cleanly (so the image holds both, and
    /// the history accepts any commit as the recovered one).
    static func image(commits: Int) -> (MemoryFileSystem, ModelHistory) {
        var workload = Workload(seed: 11, steps: 0)
        workload.steps = (0..<commits).map { i in
            .commit([.put(tree: 0, key: Array("k\(i)".utf8), value: [UInt8(i)])], durable: false)
        }
        let fileSystem = MemoryFileSystem()
        let outcome = WorkloadRunner(workload: workload, path: "/db", fileSystem: fileSystem).run()
        #expect(outcome.error == nil)
        try? outcome.database?.close()
        return (fileSystem, outcome.history)
    }

    /// A crash image with an unsynced WAL tail (torn in `tornGarbage` mode).
    static func crashImage(mode: CrashMode) -> (MemoryFileSystem, ModelHistory) {
        var workload = Workload(seed: 5, steps: 0)
        workload.steps = [
            .commit([.put(tree: 0, key: Array("a".utf8), value: [1])], durable: true),
            .commit([.put(tree: 1, key: Array("b".utf8), value: [2])], durable: false),
        ]
        let fileSystem = CrashSimulatingFileSystem()
        let outcome = WorkloadRunner(workload: workload, path: "/db", fileSystem: fileSystem).run()
        #expect(outcome.error == nil)
        var random = SeededRandom(seed: 3)
        let image = fileSystem.crashImage(using: &random, mode: mode)
        withExtendedLifetime(outcome.database) {}
        return (image, outcome.history)
    }

    @Test(arguments: CrashMode.allCases) func aCrashImagePassesAndIsLeftUntouched(mode: CrashMode) throws {
        let (image, history) = Self.crashImage(mode: mode)
        let before = image.allEntries()
        let observation = try ReadOnlyCheck.observe(image: image, path: "/db", history: history, segmentGCRatio: 0.5)
        #expect(observation.state != nil)
        #expect(ReadOnlyCheck.difference(before, image.allEntries()) == nil)
        var random = SeededRandom(seed: 1)
        #expect(RecoveryCheck.check(image: image, path: "/db", history: history, segmentGCRatio: 0.5, using: &random) == nil)
    }

    @Test func anOpenThatIsReallyReadWriteIsReported() {
        let (image, history) = Self.image(commits: 3)
        var random = SeededRandom(seed: 1)
        let failure = RecoveryCheck.check(
            image: image, path: "/db", history: history, segmentGCRatio: 0.5, using: &random,
            readOnlyOpen: { path, configuration in
                var writable = configuration
                writable.readOnly = false
                return try Database.open(at: path, configuration: writable)
            })
        #expect(failure?.contains("through the read-only open was accepted") == true, "\(failure ?? "no failure")")
    }

    @Test func aHookWritingAFileDuringTheOpenIsReported() {
        let (image, history) = Self.image(commits: 3)
        var random = SeededRandom(seed: 1)
        let failure = RecoveryCheck.check(
            image: image, path: "/db", history: history, segmentGCRatio: 0.5, using: &random,
            readOnlyOpen: { path, configuration in
                let db = try Database.open(at: path, configuration: configuration)
                let stray = try configuration.fileSystem.openFile(path + "/stray", create: true)
                try stray.write([7, 7], at: 0)
                return db
            })
        #expect(failure?.contains("the read-only open changed the files: /db/stray created (2 bytes)") == true, "\(failure ?? "no failure")")
    }

    @Test func anOpenShowingAnotherStateIsReported() {
        let (image, history) = Self.image(commits: 3)
        let (older, _) = Self.image(commits: 2)
        var random = SeededRandom(seed: 1)
        let failure = RecoveryCheck.check(
            image: image, path: "/db", history: history, segmentGCRatio: 0.5, using: &random,
            readOnlyOpen: { path, configuration in
                var elsewhere = configuration
                elsewhere.fileSystem = ReadOnlyImageFileSystem(image: older)
                return try Database.open(at: path, configuration: elsewhere)
            })
        #expect(failure?.contains("the read-only open showed another state") == true, "\(failure ?? "no failure")")
        #expect(failure?.contains("t0: 1 missing, 0 extra") == true, "\(failure ?? "")")
    }

    @Test func aReadOnlyOpenFailingAloneIsReported() {
        let (image, history) = Self.image(commits: 1)
        var random = SeededRandom(seed: 1)
        let failure = RecoveryCheck.check(
            image: image, path: "/db", history: history, segmentGCRatio: 0.5, using: &random,
            readOnlyOpen: { _, _ in throw StrataError(.corruption, "deliberately refused") })
        #expect(failure?.contains("the read-only open failed") == true, "\(failure ?? "no failure")")
        #expect(failure?.contains("but the read-write open succeeded") == true)
    }

    @Test func theDifferenceNamesEveryChange() {
        let before: (directories: Set<String>, files: [String: [UInt8]]) = (["/db"], ["/db/a": [1, 2], "/db/b": [3]])
        let after: (directories: Set<String>, files: [String: [UInt8]]) = (["/db", "/x"], ["/db/a": [1, 9], "/db/c": []])
        #expect(ReadOnlyCheck.difference(before, before) == nil)
        #expect(
            ReadOnlyCheck.difference(before, after)
                == "directory /x created; /db/a changed (2 -> 2 bytes, first difference at 1); /db/b removed (was 1 bytes); /db/c created (0 bytes)")
    }
}
