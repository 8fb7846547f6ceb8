import Synchronization

/// The events of one watcher (``Tree/watch(prefix:bufferLimit:)``), in commit order.
///
/// An `AsyncSequence` that ends when the database closes, the tree is dropped, or the watcher
/// overflowed its buffer (``TreeEvent/overflowed(sequence:)``). Iterate it once.
public struct TreeEvents: AsyncSequence, Sendable {
    /// The events.
    public typealias Element = TreeEvent
    /// Reading events never fails.
    public typealias Failure = Never

    /// How many events a watcher may leave unread before it overflows, unless told otherwise.
    public static let defaultBufferLimit = 10_000

    /// Counts the events published to a watcher and not yet taken by it.
    final class Buffer: Sendable {
        let limit: Int
        private let pending = Atomic<Int>(0)

        init(limit: Int) { self.limit = limit }

        /// Events published and not taken (an upper bound: the count rises before they are yielded).
        var count: Int { pending.load(ordering: .acquiring) }

        func added(_ n: Int) { pending.add(n, ordering: .releasing) }

        func took() { pending.subtract(1, ordering: .releasing) }
    }

    let stream: AsyncStream<TreeEvent>
    let buffer: Buffer

    /// Events published to this watcher and not read yet (what its buffer holds, or is about
    /// to). Never more than the buffer limit plus one, or one commit's events plus one.
    public var bufferedCount: Int { buffer.count }

    /// Reads the events one by one.
    public struct AsyncIterator: AsyncIteratorProtocol {
        var base: AsyncStream<TreeEvent>.Iterator
        let buffer: Buffer

        /// The next event, or nil once the stream has ended.
        public mutating func next() async -> TreeEvent? {
            let event = await base.next()
            if event != nil { buffer.took() }
            return event
        }

        /// The next event, or nil once the stream has ended (on the caller's actor).
        public mutating func next(isolation actor: isolated (any Actor)?) async -> TreeEvent? {
            let event = await base.next(isolation: actor)
            if event != nil { buffer.took() }
            return event
        }
    }

    /// Starts reading the events.
    public func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(base: stream.makeAsyncIterator(), buffer: buffer)
    }
}
