import SystemPackage

extension StrataError {
    /// The error for a failed system call: ``Code/notFound`` for `ENOENT`, otherwise
    /// ``Code/ioFailure``, with a message of the form "<what> failed: <strerror>".
    static func system(_ what: String, path: String, _ errno: Errno) -> StrataError {
        let code: Code = errno == .noSuchFileOrDirectory ? .notFound : .ioFailure
        return StrataError(code, "\(what) failed: \(errno)", path: path, cause: errno)
    }
}
