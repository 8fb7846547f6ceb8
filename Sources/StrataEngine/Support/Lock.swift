import Synchronization

/// A `Mutex` that ThreadSanitizer can see.
///
/// On Linux `Synchronization.Mutex` is a bare futex, so TSan never observes it lock or unlock
/// and reports every access it orders as a race. Builds with `-DSTRATA_TSAN` (what
/// `Fuzz/sanitizers.sh` uses with `--sanitize=thread`) tell TSan about each critical section:
/// an acquire on entry and a release on exit, on an address owned by this lock. Every other
/// build compiles to the plain `Mutex` call.
@_spi(Testing)
public struct Lock<State: ~Copyable>: ~Copyable, Sendable {
    private let mutex: Mutex<State>
    #if STRATA_TSAN
    private let token = ThreadSanitizer.Token()
    #endif

    /// A lock guarding `initial`.
    public init(_ initial: consuming sending State) {
        mutex = Mutex(initial)
    }

    /// Runs `body` with exclusive access to the state.
    @inline(__always)
    public borrowing func withLock<Result: ~Copyable, E: Error>(
        _ body: (inout sending State) throws(E) -> sending Result
    ) throws(E) -> sending Result {
        try mutex.withLock { (state: inout sending State) throws(E) -> sending Result in
            #if STRATA_TSAN
            ThreadSanitizer.acquire(token)
            defer { ThreadSanitizer.release(token) }
            #endif
            return try body(&state)
        }
    }

    /// Runs `body` with exclusive access if the lock is free right now; otherwise returns nil
    /// without waiting.
    @inline(__always)
    public borrowing func withLockIfAvailable<Result: ~Copyable, E: Error>(
        _ body: (inout sending State) throws(E) -> sending Result
    ) throws(E) -> sending Result? {
        try mutex.withLockIfAvailable { (state: inout sending State) throws(E) -> sending Result in
            #if STRATA_TSAN
            ThreadSanitizer.acquire(token)
            defer { ThreadSanitizer.release(token) }
            #endif
            return try body(&state)
        }
    }
}

#if STRATA_TSAN
/// The two TSan annotations `Lock` needs, bound to the runtime's C entry points.
enum ThreadSanitizer {
    /// An object whose address names one lock's happens-before edges.
    final class Token: Sendable {}

    @_silgen_name("__tsan_acquire")
    private static func tsanAcquire(_ address: UnsafeMutableRawPointer)

    @_silgen_name("__tsan_release")
    private static func tsanRelease(_ address: UnsafeMutableRawPointer)

    static func acquire(_ token: Token) {
        tsanAcquire(Unmanaged.passUnretained(token).toOpaque())
    }

    static func release(_ token: Token) {
        tsanRelease(Unmanaged.passUnretained(token).toOpaque())
    }
}
#endif
