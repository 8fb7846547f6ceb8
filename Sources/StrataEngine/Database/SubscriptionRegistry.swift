import Synchronization

/// A committed change seen by a watcher.
public enum TreeEvent: Sendable, Equatable {
    /// `key` was set to `value` by commit `sequence`.
    case inserted(key: [UInt8], value: [UInt8], sequence: UInt64)
    /// `key` was removed by commit `sequence`.
    case removed(key: [UInt8], sequence: UInt64)
    /// The whole tree was cleared by commit `sequence`.
    case cleared(sequence: UInt64)
    /// The tree was dropped by commit `sequence`; this is its watchers' last event (the stream
    /// then ends: a tree created later under the same name is another tree).
    case dropped(sequence: UInt64)
    /// The watcher fell behind by more than its buffer limit: every event of the commits up to
    /// `sequence` was delivered, none after. This is the last event; read the rest with
    /// `tree.changes(since: sequence, prefix:)` and watch again.
    case overflowed(sequence: UInt64)
}

/// The watchers of key prefixes; fed in commit order by the writer.
final class SubscriptionRegistry: Sendable {
    private struct Subscriber {
        var tree: UInt32
        var prefix: [UInt8]
        var continuation: AsyncStream<TreeEvent>.Continuation
        var buffer: TreeEvents.Buffer
    }

    private let subscribers = Lock<[Int: Subscriber]>([:])
    private let nextID = Atomic<Int>(0)
    private let activeCount = Atomic<Int>(0)

    var isActive: Bool { activeCount.load(ordering: .relaxed) > 0 }

    func subscribe(tree: UInt32, prefix: [UInt8], bufferLimit: Int) -> TreeEvents {
        let id = nextID.wrappingAdd(1, ordering: .relaxed).oldValue
        // Unbounded here, bounded by `publish`, which counts what the watcher has not taken yet.
        let (stream, continuation) = AsyncStream.makeStream(of: TreeEvent.self, bufferingPolicy: .unbounded)
        let buffer = TreeEvents.Buffer(limit: bufferLimit)
        subscribers.withLock {
            $0[id] = Subscriber(tree: tree, prefix: prefix, continuation: continuation, buffer: buffer)
        }
        activeCount.add(1, ordering: .relaxed)
        continuation.onTermination = { [weak self] _ in self?.remove(id) }
        return TreeEvents(stream: stream, buffer: buffer)
    }

    private func remove(_ id: Int) {
        if subscribers.withLock({ $0.removeValue(forKey: id) }) != nil {
            activeCount.subtract(1, ordering: .relaxed)
        }
    }

    /// Delivers one commit's changes (called under the writer lock, so in commit order).
    ///
    /// A commit's events go to a watcher all together or not at all: if they would take its
    /// buffer past the limit, it gets ``TreeEvent/overflowed(sequence:)`` naming the commit
    /// before, and its stream ends. A commit with more events than the limit is delivered
    /// whole when the buffer is empty.
    func publish(_ changes: [Database.AppliedChange], sequence: UInt64) {
        let current = subscribers.withLock { Array($0) }
        for (id, subscriber) in current {
            var events: [TreeEvent] = []
            var dropped = false
            for change in changes where change.tree == subscriber.tree {
                guard let key = change.key else {
                    guard change.dropped else {
                        events.append(.cleared(sequence: sequence))
                        continue
                    }
                    events.append(.dropped(sequence: sequence))
                    dropped = true
                    break
                }
                guard key.starts(with: subscriber.prefix) else { continue }
                if let value = change.value {
                    events.append(.inserted(key: key, value: value, sequence: sequence))
                } else {
                    events.append(.removed(key: key, sequence: sequence))
                }
            }
            guard !events.isEmpty else { continue }
            let buffered = subscriber.buffer.count
            if buffered > 0, buffered + events.count > subscriber.buffer.limit {
                subscriber.buffer.added(1)
                subscriber.continuation.yield(.overflowed(sequence: sequence - 1))
                dropped = true
            } else {
                subscriber.buffer.added(events.count)
                for event in events { subscriber.continuation.yield(event) }
            }
            if dropped {
                subscriber.continuation.finish()
                remove(id)
            }
        }
    }

    func finishAll() {
        let all = subscribers.withLock { s in
            defer { s = [:] }
            return Array(s.values)
        }
        activeCount.store(0, ordering: .relaxed)
        for subscriber in all { subscriber.continuation.finish() }
    }
}

extension Tree {
    /// Every committed insert and remove of keys starting with `prefix` (empty: all keys), and
    /// the tree's clear and drop, in commit order, from now on. The stream ends when the
    /// database closes or the tree is dropped; stop iterating to unsubscribe.
    ///
    /// Events wait in a buffer until the watcher takes them. A watcher more than `bufferLimit`
    /// events behind gets ``TreeEvent/overflowed(sequence:)`` as its last event instead of the
    /// commit that would cross the limit, so memory stays bounded by about `bufferLimit`
    /// events (or one commit's, if a single commit has more); it resumes from the change feed.
    ///
    /// ```swift
    /// for await event in try messages.watch(prefix: conversationKey) { … }
    /// ```
    ///
    /// - Throws: ``StrataError/Code/invalidArgument`` if `bufferLimit` is less than 1.
    public func watch(prefix: [UInt8] = [], bufferLimit: Int = TreeEvents.defaultBufferLimit) throws -> TreeEvents {
        guard bufferLimit >= 1 else { throw StrataError.invalidArgument("watch: bufferLimit must be at least 1") }
        try database.checkWritable()
        return database.subscriptions.subscribe(tree: id, prefix: prefix, bufferLimit: bufferLimit)
    }
}
