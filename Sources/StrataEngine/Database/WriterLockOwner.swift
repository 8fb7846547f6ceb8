#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Synchronization

/// Which thread holds the writer lock, so that a call that would take the lock again on that
/// thread (from inside a `write` closure) throws ``StrataError/Code/reentrantWrite`` instead of
/// trapping in the mutex ("Recursive call to lock Mutex").
///
/// A relaxed load suffices: only the owning thread ever stores its own id, so a thread reads
/// its own id back only while it holds the lock.
final class WriterLockOwner: Sendable {
    private let owner = Atomic<UInt>(0)

    /// An id of the calling thread, never 0.
    static var currentThread: UInt {
        #if canImport(Darwin)
        UInt(bitPattern: pthread_self())
        #else
        UInt(pthread_self())
        #endif
    }

    /// Whether the calling thread holds the writer lock.
    var isHeldByCurrentThread: Bool { owner.load(ordering: .relaxed) == WriterLockOwner.currentThread }

    /// Runs `body` under `lock`, recorded as held by this thread; throws `reentrantWrite` when
    /// this thread already holds it. `call` names the public call, for the message.
    func withLock<T>(_ lock: borrowing Lock<WriterState>, call: String, _ body: (inout WriterState) throws -> T) throws -> T {
        let thread = WriterLockOwner.currentThread
        guard owner.load(ordering: .relaxed) != thread else { throw WriterLockOwner.reentrantError(call) }
        return try lock.withLock { state in
            owner.store(thread, ordering: .relaxed)
            defer { owner.store(0, ordering: .relaxed) }
            return try body(&state)
        }
    }

    static func reentrantError(_ call: String) -> StrataError {
        StrataError(
            .reentrantWrite,
            "\(call) was called inside a write closure, which holds the writer lock; "
                + "use the Transaction passed to the closure (tx.insert, tx.remove, tx.clear, tx.tree) instead")
    }
}
