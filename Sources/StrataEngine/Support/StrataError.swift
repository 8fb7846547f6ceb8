/// The one error type Strata throws.
///
/// Every failure carries a ``Code`` that callers can match, a message a person can act on,
/// and, where it applies, the file and byte offset involved and the underlying cause.
///
/// ```swift
/// do {
///     let db = try Database.open(at: path)
/// } catch StrataError.Code.locked {
///     print("another process has the database open")
/// }
/// ```
public struct StrataError: Error, Sendable, CustomStringConvertible {
    /// What kind of failure this is. Extensible: new codes may be added in later versions.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        /// A stable identifier for the code, such as `"locked"`.
        public let name: String

        /// Creates a code with a stable identifier.
        public init(_ name: String) { self.name = name }

        public var description: String { name }

        /// The directory is already open in this or another process.
        public static let locked = Code("locked")
        /// Stored bytes fail a checksum or do not decode; the error names the file and offset.
        public static let corruption = Code("corruption")
        /// The operating system reported a failure (EIO, ENOSPC, permissions, ...).
        public static let ioFailure = Code("ioFailure")
        /// An argument is out of range: an empty or oversized key, a bad tree name, ...
        public static let invalidArgument = Code("invalidArgument")
        /// The directory was written by a newer, unknown format version.
        public static let formatVersion = Code("formatVersion")
        /// The path exists but is not a Strata database directory.
        public static let notADatabase = Code("notADatabase")
        /// The database, snapshot or cursor was used after it was closed.
        public static let closed = Code("closed")
        /// A thing the API names does not exist: a tree (dropped, or absent from a snapshot).
        /// A missing file is ``fileNotFound``.
        public static let notFound = Code("notFound")
        /// A file or directory the engine needed does not exist (`ENOENT`; the `Errno` is the
        /// ``StrataError/cause`` and ``StrataError/path`` names it): a missing segment or WAL
        /// file, or a path whose parent is missing.
        public static let fileNotFound = Code("fileNotFound")
        /// A write was refused because an earlier fsync failed; reopen the database.
        public static let writesDisabled = Code("writesDisabled")
        /// A compare-and-swap found a value other than the one expected.
        public static let conflict = Code("conflict")
        /// A call that takes the writer lock (`db.write`, a `Tree` write, `db.tree` creating a
        /// tree, `db.dropTree`, `db.checkpoint`, `db.verify`, `db.close`) was made inside a
        /// `write` closure on the same thread; use the closure's ``Transaction`` instead.
        public static let reentrantWrite = Code("reentrantWrite")
        /// A write through a handle of a tree that a layer owns (``TreeOwner``), obtained
        /// without that owner, or a drop of such a tree: write it through its layer.
        public static let ownedTree = Code("ownedTree")
        /// A write (or `flush`, `checkpoint`) on a database opened with
        /// ``Database/Configuration/readOnly``.
        public static let readOnly = Code("readOnly")
        /// The change feed no longer holds the commits asked for (older than the retained
        /// write-ahead log, or newer than the newest commit): rebuild what was derived from it.
        public static let changesUnavailable = Code("changesUnavailable")
    }

    /// What kind of failure this is.
    public var code: Code
    /// A sentence that says what went wrong and, where possible, what to do.
    public var message: String
    /// The file involved, when there is one.
    public var path: String?
    /// The byte offset in ``path`` where the problem was found, when known.
    public var offset: Int64?
    /// The lower-level error that caused this one, if any.
    public var cause: (any Error & Sendable)?

    /// Creates an error.
    public init(
        _ code: Code, _ message: String, path: String? = nil, offset: Int64? = nil,
        cause: (any Error & Sendable)? = nil
    ) {
        self.code = code
        self.message = message
        self.path = path
        self.offset = offset
        self.cause = cause
    }

    public var description: String {
        var text = "\(code): \(message)"
        if let path {
            text += " [\(path)"
            if let offset { text += " @ \(offset)" }
            text += "]"
        }
        if let cause { text += " (cause: \(cause))" }
        return text
    }
}

extension StrataError.Code {
    /// Lets a `catch` clause match an error by its code: `catch StrataError.Code.locked { … }`.
    public static func ~= (code: StrataError.Code, error: any Error) -> Bool {
        (error as? StrataError)?.code == code
    }
}

extension StrataError {
    static func corruption(_ message: String, path: String, offset: Int64) -> StrataError {
        StrataError(.corruption, message, path: path, offset: offset)
    }

    static func invalidArgument(_ message: String) -> StrataError {
        StrataError(.invalidArgument, message)
    }
}
