/// Which unsynced changes survive a simulated power loss in
/// ``CrashSimulatingFileSystem/crashImage(using:mode:)``.
public enum CrashMode: Sendable, CaseIterable, CustomStringConvertible {
    /// Only durable state survives: every pending operation is lost.
    case dropUnsynced
    /// A random prefix of the pending operations, in the order they were made across all files
    /// and directories, survives; if the last surviving one is a write, only a random prefix of
    /// its bytes reaches the disk (a torn write). Restricted to one file, that is a prefix of
    /// its unsynced writes.
    case keepPrefix
    /// Like ``keepPrefix``, but the torn write's bytes after the tear, up to the next 512-byte
    /// sector boundary of the file (and no further than the write reached), are random garbage.
    case tornGarbage
    /// For each file independently a random prefix of its pending writes survives (no tearing),
    /// and for each directory independently a random prefix of its pending entry changes: the
    /// disk may persist a later write to one file and lose an earlier one to another.
    case reorderAcrossFiles

    public var description: String {
        switch self {
        case .dropUnsynced: "dropUnsynced"
        case .keepPrefix: "keepPrefix"
        case .tornGarbage: "tornGarbage"
        case .reorderAcrossFiles: "reorderAcrossFiles"
        }
    }
}
