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
}

/// The watchers of key prefixes; fed in commit order by the writer.
final class SubscriptionRegistry: Sendable {
    private struct Subscriber {
        var tree: UInt32
        var prefix: [UInt8]
        var continuation: AsyncStream<TreeEvent>.Continuation
    }

    private let subscribers = Lock<[Int: Subscriber]>([:])
    private let nextID = Atomic<Int>(0)
    private let activeCount = Atomic<Int>(0)

    var isActive: Bool { activeCount.load(ordering: .relaxed) > 0 }

    func subscribe(tree: UInt32, prefix: [UInt8]) -> AsyncStream<TreeEvent> {
        let id = nextID.wrappingAdd(1, ordering: .relaxed).oldValue
        let (stream, continuation) = AsyncStream.makeStream(of: TreeEvent.self, bufferingPolicy: .unbounded)
        subscribers.withLock { $0[id] = Subscriber(tree: tree, prefix: prefix, continuation: continuation) }
        activeCount.add(1, ordering: .relaxed)
        continuation.onTermination = { [weak self] _ in self?.remove(id) }
        return stream
    }

    private func remove(_ id: Int) {
        if subscribers.withLock({ $0.removeValue(forKey: id) }) != nil {
            activeCount.subtract(1, ordering: .relaxed)
        }
    }

    /// Delivers one commit's changes (called under the writer lock, so in commit order).
    func publish(_ changes: [Database.AppliedChange], sequence: UInt64) {
        let current = subscribers.withLock { Array($0) }
        for (id, subscriber) in current {
            for change in changes where change.tree == subscriber.tree {
                guard let key = change.key else {
                    guard change.dropped else {
                        subscriber.continuation.yield(.cleared(sequence: sequence))
                        continue
                    }
                    subscriber.continuation.yield(.dropped(sequence: sequence))
                    subscriber.continuation.finish()
                    remove(id)
                    break
                }
                guard key.starts(with: subscriber.prefix) else { continue }
                if let value = change.value {
                    subscriber.continuation.yield(.inserted(key: key, value: value, sequence: sequence))
                } else {
                    subscriber.continuation.yield(.removed(key: key, sequence: sequence))
                }
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
    /// ```swift
    /// for await event in try messages.watch(prefix: conversationKey) { … }
    /// ```
    public func watch(prefix: [UInt8] = []) throws -> AsyncStream<TreeEvent> {
        try database.checkWritable()
        return database.subscriptions.subscribe(tree: id, prefix: prefix)
    }
}
