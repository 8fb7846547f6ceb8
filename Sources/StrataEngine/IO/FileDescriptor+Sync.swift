#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import SystemPackage

// The few file-descriptor calls swift-system does not offer, in its style: each throws the
// `Errno` and retries on `EINTR`.

extension FileDescriptor {
    /// Makes the file's data (and the metadata needed to read it back) durable.
    ///
    /// The corresponding C function is `fdatasync` (on Darwin, `fcntl(F_FULLFSYNC)`, since
    /// Darwin's `fsync` does not flush the drive's cache).
    func synchronizeData() throws(Errno) {
        #if canImport(Darwin)
        try retryingOnInterrupt { fcntl(rawValue, F_FULLFSYNC) }
        #else
        try retryingOnInterrupt { fdatasync(rawValue) }
        #endif
    }

    /// Makes the file's data and all its metadata durable; for a directory, its entries.
    ///
    /// The corresponding C function is `fsync`.
    func synchronize() throws(Errno) {
        try retryingOnInterrupt { fsync(rawValue) }
    }

    /// Truncates or extends the file to `length` bytes.
    ///
    /// The corresponding C function is `ftruncate`.
    func truncate(to length: Int64) throws(Errno) {
        try retryingOnInterrupt { ftruncate(rawValue, off_t(length)) }
    }

    /// Takes an exclusive advisory lock without waiting; returns `false` if it is held elsewhere.
    ///
    /// The lock belongs to the open file description, so a second descriptor opened on the same
    /// file in this process does not get it either.
    ///
    /// The corresponding C function is `flock(LOCK_EX | LOCK_NB)`.
    func tryLockExclusive() throws(Errno) -> Bool {
        do {
            try retryingOnInterrupt { flock(rawValue, LOCK_EX | LOCK_NB) }
            return true
        } catch where error == .wouldBlock || error == .resourceTemporarilyUnavailable {
            return false
        }
    }

    /// Tries to take a shared `flock` on the file without waiting; returns false if another
    /// open file description holds it exclusively. Many shared holders may coexist.
    ///
    /// The corresponding C function is `flock(LOCK_SH | LOCK_NB)`.
    func tryLockShared() throws(Errno) -> Bool {
        do {
            try retryingOnInterrupt { flock(rawValue, LOCK_SH | LOCK_NB) }
            return true
        } catch where error == .wouldBlock || error == .resourceTemporarilyUnavailable {
            return false
        }
    }

    /// Releases a lock taken by ``tryLockExclusive()`` or ``tryLockShared()``.
    ///
    /// The corresponding C function is `flock(LOCK_UN)`.
    func unlockExclusive() throws(Errno) {
        try retryingOnInterrupt { flock(rawValue, LOCK_UN) }
    }

    /// The file's length in bytes.
    ///
    /// The corresponding C function is `fstat` (its `st_size`).
    func fileLength() throws(Errno) -> Int64 {
        var info = CStat()
        try retryingOnInterrupt { fstat(rawValue, &info) }
        return Int64(info.st_size)
    }
}

/// Calls `body` until it does not fail with `EINTR`; throws the `errno` of any other failure.
func retryingOnInterrupt(_ body: () -> CInt) throws(Errno) {
    while true {
        if body() != -1 { return }
        let error = Errno(rawValue: errno)
        if error != .interrupted { throw error }
    }
}
