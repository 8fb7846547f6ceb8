#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Synchronization
import SystemPackage

/// A ``StorageFile`` backed by an open POSIX file descriptor.
///
/// Reads and writes use `pread`/`pwrite`, which take their own offset, so any number of threads
/// may use the file at once. ``close()`` waits for no one: it marks the file closed (later calls
/// throw ``StrataError/Code/closed``) and the descriptor is closed as soon as the calls already
/// under way have returned, so a descriptor number is never reused under a running `pread`.
// @unchecked Sendable because FileDescriptor is not declared Sendable, but the descriptor is an
// immutable integer after open, pread/pwrite/fstat/fdatasync/ftruncate on it are thread safe, and
// its closing is guarded by `state`.
final class PosixFile: StorageFile, @unchecked Sendable {
    let path: String
    private let descriptor: FileDescriptor
    private let state = Lock(State())

    private struct State {
        var isClosed = false
        /// Calls between ``PosixFile/beginUse()`` and ``PosixFile/endUse()``.
        var callsUnderWay = 0
    }

    init(descriptor: FileDescriptor, path: String) {
        self.descriptor = descriptor
        self.path = path
    }

    deinit {
        let needsClose = state.withLock { !$0.isClosed }
        if needsClose { try? descriptor.close() }
    }

    func length() throws -> Int64 {
        try using("fstat") { try descriptor.fileLength() }
    }

    func read(at offset: Int64, into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        try using("read at \(offset)") {
            var total = 0
            while total < buffer.count {
                let got = try descriptor.read(
                    fromAbsoluteOffset: offset + Int64(total),
                    into: UnsafeMutableRawBufferPointer(rebasing: buffer[total...]))
                if got == 0 { break }
                total += got
            }
            return total
        }
    }

    func write(_ bytes: UnsafeRawBufferPointer, at offset: Int64) throws {
        try using("write at \(offset)") {
            var total = 0
            while total < bytes.count {
                let written = try descriptor.write(
                    toAbsoluteOffset: offset + Int64(total),
                    UnsafeRawBufferPointer(rebasing: bytes[total...]))
                // pwrite never returns 0 for a non-empty buffer; guard against looping forever.
                if written == 0 { throw Errno.ioError }
                total += written
            }
        }
    }

    func sync() throws {
        try using("fdatasync") { try descriptor.synchronizeData() }
    }

    func setLength(_ length: Int64) throws {
        try using("ftruncate to \(length)") { try descriptor.truncate(to: length) }
    }

    func close() throws {
        let closeNow = try state.withLock { state in
            guard !state.isClosed else { throw closedError() }
            state.isClosed = true
            return state.callsUnderWay == 0
        }
        if closeNow {
            do {
                try descriptor.close()
            } catch let error as Errno {
                throw StrataError.system("close", path: path, error)
            }
        }
    }

    // MARK: Guarding the descriptor

    /// Runs `body` with the descriptor guaranteed open, converting its `Errno` to a StrataError.
    private func using<T>(_ what: @autoclosure () -> String, _ body: () throws -> T) throws -> T {
        try beginUse()
        defer { endUse() }
        do {
            return try body()
        } catch let error as Errno {
            // Formatted only on failure: every page read passes "read at \(offset)".
            throw StrataError.system(what(), path: path, error)
        }
    }

    private func beginUse() throws {
        try state.withLock { state in
            guard !state.isClosed else { throw closedError() }
            state.callsUnderWay += 1
        }
    }

    private func endUse() {
        let closeNow = state.withLock { state in
            state.callsUnderWay -= 1
            return state.isClosed && state.callsUnderWay == 0
        }
        // A close() came while this call was under way and left the closing to the last call.
        if closeNow { try? descriptor.close() }
    }

    private func closedError() -> StrataError {
        StrataError(.closed, "file was used after it was closed", path: path)
    }
}
