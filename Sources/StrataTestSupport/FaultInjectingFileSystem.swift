@_spi(Testing) import StrataEngine
import Glibc
import Synchronization
import SystemPackage

/// A ``FileSystem`` that passes every call to another one, except calls that its ``Rule``s
/// make fail with `EIO` or `ENOSPC`.
///
/// A failure is reported as `StrataError(.ioFailure, …, cause: Errno)`, as ``PosixFileSystem``
/// reports a real one, and the call does nothing (except a write failing with
/// ``Rule/Fault/noSpace(writingPrefix:)``, which may write a prefix first). Files opened
/// through it are wrapped too. Every call is counted, failed or not; see ``count(of:)``.
public final class FaultInjectingFileSystem: FileSystem {
    private struct ActiveRule {
        var rule: Rule
        /// Calls of the rule's operation seen before the rule was added.
        var startCount: Int
        var random: SeededRandom?
    }

    private struct State {
        var rules: [ActiveRule] = []
        var counts: [Operation: Int] = [:]
        var injectedFaults = 0
        /// Paths whose file or directory sync failed.
        var failedSyncs: Set<String> = []
        /// Paths synced again after a sync of theirs failed, in call order.
        var syncsAfterFailure: [String] = []
        var syncDelay: Duration?
        var beforeSync: (@Sendable () -> Void)?
    }

    /// The file system calls are passed to.
    public let base: any FileSystem
    private let state = Lock(State())

    /// Wraps `base`, failing calls as `rules` say.
    public init(wrapping base: any FileSystem, rules: [Rule] = []) {
        self.base = base
        for rule in rules { addRule(rule) }
    }

    /// Adds a rule; its ``Rule/Trigger`` counts calls from now on.
    public func addRule(_ rule: Rule) {
        state.withLock { state in
            var random: SeededRandom?
            if case .random(_, let seed) = rule.trigger { random = SeededRandom(seed: seed) }
            state.rules.append(
                ActiveRule(rule: rule, startCount: state.counts[rule.operation, default: 0], random: random))
        }
    }

    /// Removes every rule, so calls stop failing.
    public func removeAllRules() {
        state.withLock { $0.rules.removeAll() }
    }

    /// How many calls of `operation` have been made, failed ones included.
    public func count(of operation: Operation) -> Int {
        state.withLock { $0.counts[operation, default: 0] }
    }

    /// How many calls of each operation have been made, failed ones included.
    public var counts: [Operation: Int] {
        state.withLock { $0.counts }
    }

    /// How many calls have been made to fail.
    public var injectedFaultCount: Int {
        state.withLock { $0.injectedFaults }
    }

    /// Paths (files or directories) synced again after a sync of the same path failed, one
    /// entry per such call. After a failed fsync the kernel may have dropped the unwritten
    /// pages and a retry reports success for them, so the engine must never retry: this is
    /// empty unless it did.
    public var syncsAfterFailure: [String] {
        state.withLock { $0.syncsAfterFailure }
    }

    /// How long every file sync sleeps before it runs (nil: not at all), to widen the window
    /// in which other threads queue behind an fsync.
    public var syncDelay: Duration? {
        get { state.withLock { $0.syncDelay } }
        set { state.withLock { $0.syncDelay = newValue } }
    }

    /// Called on the syncing thread before every file sync (nil: nothing), so that a test can
    /// hold syncs back until it lets them go.
    public var beforeSync: (@Sendable () -> Void)? {
        get { state.withLock { $0.beforeSync } }
        set { state.withLock { $0.beforeSync = newValue } }
    }

    // MARK: FileSystem

    public func kind(of path: String) throws -> FileKind {
        try base.kind(of: path)
    }

    public func createDirectory(_ path: String) throws {
        try check(.createDirectory, path: path)
        try base.createDirectory(path)
    }

    public func contentsOfDirectory(_ path: String) throws -> [String] {
        try base.contentsOfDirectory(path)
    }

    public func openFile(_ path: String, create: Bool) throws -> any StorageFile {
        try check(.open, path: path)
        return FaultInjectingFile(base: try base.openFile(path, create: create), faults: self)
    }

    public func removeFile(_ path: String) throws {
        try check(.remove, path: path)
        try base.removeFile(path)
    }

    public func rename(_ source: String, to destination: String) throws {
        try check(.rename, path: source)
        try base.rename(source, to: destination)
    }

    public func syncDirectory(_ path: String) throws {
        try checkSync(.syncDirectory, path: path)
        try base.syncDirectory(path)
    }

    public func lockDirectory(_ path: String) throws -> any DirectoryLock {
        try base.lockDirectory(path)
    }

    public func lockDirectoryShared(_ path: String) throws -> any DirectoryLock {
        try base.lockDirectoryShared(path)
    }

    public func openFileForReading(_ path: String) throws -> any StorageFile {
        try check(.open, path: path)
        return FaultInjectingFile(base: try base.openFileForReading(path), faults: self)
    }

    // MARK: Deciding

    /// Counts a call of `operation` and returns the fault to inject, if a rule says so.
    func fault(for operation: Operation) -> Rule.Fault? {
        state.withLock { state in
            state.counts[operation, default: 0] += 1
            let count = state.counts[operation]!
            for index in state.rules.indices where state.rules[index].rule.operation == operation {
                let call = count - state.rules[index].startCount
                let fails: Bool
                switch state.rules[index].rule.trigger {
                case .nth(let n): fails = call == n
                case .fromNth(let n): fails = call >= n
                case .every: fails = true
                case .random(let probability, _):
                    fails = Double.random(in: 0..<1, using: &state.rules[index].random!) < probability
                }
                if fails {
                    state.injectedFaults += 1
                    return state.rules[index].rule.fault
                }
            }
            return nil
        }
    }

    /// Counts a call and throws the injected failure, if any.
    func check(_ operation: Operation, path: String) throws {
        if let fault = fault(for: operation) { throw Self.error(for: fault, operation, path: path) }
    }

    /// ``check(_:path:)`` for a file or directory sync: also notes a sync of a path whose
    /// sync failed before, and records this one's failure. Sleeps ``syncDelay`` first.
    func checkSync(_ operation: Operation, path: String) throws {
        if operation == .sync, let delay = syncDelay { Self.sleep(delay) }
        if operation == .sync, let beforeSync = state.withLock({ $0.beforeSync }) { beforeSync() }
        state.withLock { state in
            if state.failedSyncs.contains(path) { state.syncsAfterFailure.append(path) }
        }
        do {
            try check(operation, path: path)
        } catch {
            state.withLock { _ = $0.failedSyncs.insert(path) }
            throw error
        }
    }

    private static func sleep(_ delay: Duration) {
        let (seconds, attoseconds) = delay.components
        var request = timespec(tv_sec: Int(seconds), tv_nsec: Int(attoseconds / 1_000_000_000))
        nanosleep(&request, nil)
    }

    static func error(for fault: Rule.Fault, _ operation: Operation, path: String) -> StrataError {
        let errno: Errno
        switch fault {
        case .ioError: errno = .ioError
        case .noSpace: errno = .noSpace
        }
        return StrataError(.ioFailure, "\(operation) failed: \(errno) (injected)", path: path, cause: errno)
    }
}
