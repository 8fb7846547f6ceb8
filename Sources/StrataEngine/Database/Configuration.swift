import CoreMetrics
import Logging

extension Database {
    /// How a database is opened: where its bytes go, how much memory it may use, when it
    /// checkpoints and how durable a plain commit is. Every knob is documented in Docs/TUNING.md.
    public struct Configuration: Sendable {
        /// Where files are read and written. Tests substitute in-memory or fault-injecting backends.
        public var fileSystem: any FileSystem
        /// Budget for clean decoded pages, in bytes.
        public var cacheBytes: Int
        /// A checkpoint starts once dirty pages exceed this many bytes.
        public var dirtyBytes: Int
        /// A checkpoint starts once the WAL since the last one exceeds this many bytes; this
        /// bounds the replay work of an open after a crash.
        public var walBytes: Int
        /// A checkpoint starts once this long has passed since the last one with changes;
        /// nil for never by time.
        public var checkpointInterval: Duration?
        /// Every commit is made durable within this interval by a background flush; nil to
        /// leave durability to `flush()` and durable commits.
        public var flushInterval: Duration?
        /// Target size of a B+tree page before it splits.
        public var pageSize: Int
        /// Size at which a segment file is sealed and a new one started.
        public var segmentSize: Int
        /// Values longer than this are stored out of line in their own blob page.
        public var largeValueThreshold: Int
        /// Sealed segments whose live bytes fall below this fraction are rewritten by the next
        /// checkpoint (bounds space on disk to about 1 / ratio of live data).
        public var segmentGCRatio: Double
        /// Whether pages are LZ4-compressed when that saves at least 1/8.
        public var compression: Bool
        /// Bytes of WAL files kept after a checkpoint made them obsolete for recovery, as the
        /// history ``Database/changes(since:)`` reads; 0 (the default: history costs disk beside
        /// the live data, so a consumer opts in) keeps none beyond recovery, and the feed then
        /// starts at the oldest WAL file the two superblock slots replay. Whole files are kept,
        /// newest first, while they fit.
        public var changeRetentionBytes: Int
        /// How durable a `write` (or `Tree` write) is when the call does not say: `.buffered`
        /// (durable within `flushInterval`) or `.synced` (fsynced before it returns).
        public var defaultDurability: Durability
        /// Whether open creates the directory and a new database when `path` holds none
        /// (default true). When false, a missing directory or one without a database throws
        /// ``StrataError/Code/notFound`` and nothing is created.
        public var createIfMissing: Bool
        /// Opens without writing any file: a shared lock (many read-only opens at once; a
        /// read-write open meanwhile throws `locked`, and a read-only open while a writer holds
        /// the database throws `locked`), the WAL replayed in memory only, and every write,
        /// `flush` and `checkpoint` throwing ``StrataError/Code/readOnly``. Implies
        /// `createIfMissing` false.
        public var readOnly: Bool
        /// With ``readOnly``: when a read-write process holds the database, open anyway, without
        /// a lock (default false: such an open throws `locked`). The result is a point-in-time
        /// view of a database that keeps changing under it: it holds the newest checkpoint and
        /// the WAL commits written when it was opened, and never sees later commits. The writer
        /// does not know about it and may delete a segment or WAL file the view has not read yet
        /// (segment GC, WAL retention): a later read then throws
        /// ``StrataError/Code/fileNotFound`` (reopen to read the current state). For inspection
        /// tools (`strata stats --live`), not for readers that need every read to succeed.
        public var readOnlyIgnoresWriter: Bool
        /// Structured logs (checkpoints, recovery, GC). Never bootstrapped by the library.
        public var logger: Logger
        /// Where metrics go (commits, WAL syncs, checkpoints); nil uses the global
        /// `MetricsSystem` factory, which is a no-op unless the application bootstraps one.
        public var metricsFactory: (any MetricsFactory)?

        /// The defaults: a 256 MiB cache and dirty budget, a 64 MiB WAL budget, 128 MiB of change
        /// history, 8 KiB pages, 64 MiB segments, LZ4 on, 100 ms background flush.
        public init(fileSystem: any FileSystem = PosixFileSystem()) {
            self.fileSystem = fileSystem
            cacheBytes = 256 << 20
            dirtyBytes = 256 << 20
            walBytes = 64 << 20
            checkpointInterval = .seconds(300)
            flushInterval = .milliseconds(100)
            pageSize = 8192
            segmentSize = 64 << 20
            largeValueThreshold = 1024
            segmentGCRatio = 0.7
            compression = true
            changeRetentionBytes = 0
            defaultDurability = .buffered
            createIfMissing = true
            readOnly = false
            readOnlyIgnoresWriter = false
            logger = Logger(label: "strata", factory: { _ in SwiftLogNoOpLogHandler() })
            metricsFactory = nil
        }

        func validate() throws {
            func check(_ ok: Bool, _ message: String) throws {
                if !ok { throw StrataError.invalidArgument("configuration: " + message) }
            }
            try check(cacheBytes >= 1 << 20, "cacheBytes must be at least 1 MiB")
            try check(dirtyBytes >= 1 << 16, "dirtyBytes must be at least 64 KiB")
            try check(walBytes >= 1 << 16, "walBytes must be at least 64 KiB")
            try check(pageSize >= 1024 && pageSize <= 1 << 20, "pageSize must be 1 KiB ... 1 MiB")
            try check(segmentSize >= 64 << 10 && segmentSize <= 1 << 31, "segmentSize must be 64 KiB ... 2 GiB")
            try check(
                largeValueThreshold >= 64 && largeValueThreshold <= pageSize / 2,
                "largeValueThreshold must be 64 ... pageSize / 2")
            try check(changeRetentionBytes >= 0, "changeRetentionBytes must not be negative")
            try check(segmentGCRatio > 0 && segmentGCRatio < 1, "segmentGCRatio must be between 0 and 1")
            try check(!readOnlyIgnoresWriter || readOnly, "readOnlyIgnoresWriter needs readOnly")
        }
    }
}
