/// How durable a commit is when ``Database/write(durability:_:)`` (or a ``Tree`` write) returns.
///
/// Every commit is atomic and visible to readers when its call returns, whatever its durability;
/// durability only says when it also survives a crash or power loss.
///
/// ```swift
/// try db.write(durability: .synced) { tx in … }   // on disk when this returns
/// try nodes.insert(value, forKey: key)             // Configuration.defaultDurability
/// ```
public enum Durability: Sendable, Hashable, CustomStringConvertible {
    /// Logged but not yet fsynced: durable at the next ``Database/flush()``, synced commit,
    /// checkpoint, background flush (within `Configuration.flushInterval`) or close. A crash
    /// before then loses it whole (never part of it), and every later commit with it.
    case buffered
    /// Fsynced before the call returns (one fsync shared with concurrent synced commits: group
    /// commit). An acknowledged synced commit survives any crash, and so does every commit
    /// before it. A synced write whose operations change nothing (removes of absent keys, no
    /// operations at all) makes no commit and syncs nothing: it does not make earlier buffered
    /// commits durable; call ``Database/flush()`` for that.
    case synced

    public var description: String {
        switch self {
        case .buffered: "buffered"
        case .synced: "synced"
        }
    }
}
