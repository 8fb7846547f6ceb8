#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import StrataEngine
import Synchronization

/// Answers "has any node expired at `now`?" for a new reader: the first key of the expiry index
/// (`(5, expiresAt, id)`, the soonest expiry) compared with the key of `now`. The first key is
/// read from the index once per commit and remembered with the commit's sequence: readers made
/// while no commit lands compare, they do not probe the index again. A commit changes the
/// sequence, so a remembered key is never used for a state it was not read from.
final class ExpiryProbe: Sendable {
    private let remembered = Mutex<(sequence: UInt64, firstKey: [UInt8]?)?>(nil)

    /// The expiry index's prefix: the entries of every expiring node.
    static let prefix = TupleKey(IndexKey.Tag.expiry.rawValue)

    /// Whether any node in `view` has expired at `now`: its expiry index holds a key before the
    /// key of `now` and a microsecond (the index holds expiries rounded to nanoseconds; the
    /// record decides exactly, ``Node/isExpired(at:)``).
    func anyExpired(at now: Date, in view: GraphView<Snapshot>) throws -> Bool {
        let sequence = view.source.sequence
        let firstKey: [UInt8]?
        if let known = remembered.withLock({ $0 }), known.sequence == sequence {
            firstKey = known.firstKey
        } else {
            var cursor = try view.index.range(.included(Self.prefix.bytes), .after(prefix: Self.prefix.bytes), reverse: false)
            firstKey = try cursor.next()?.key
            remembered.withLock { $0 = (sequence, firstKey) }
        }
        guard let firstKey else { return false }
        let horizon = Self.prefix.appending(try Timestamp.keyBound(now.addingTimeInterval(1e-6), "now")).bytes
        return firstKey.lexicographicallyPrecedes(horizon)
    }
}
