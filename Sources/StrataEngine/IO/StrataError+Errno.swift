import SystemPackage

extension StrataError {
    /// The error for a failed system call: ``Code/fileNotFound`` for `ENOENT`, otherwise
    /// ``Code/ioFailure``, with a message of the form "<what> failed: <strerror>".
    static func system(_ what: String, path: String, _ errno: Errno) -> StrataError {
        let code: Code = errno == .noSuchFileOrDirectory ? .fileNotFound : .ioFailure
        return StrataError(code, "\(what) failed: \(errno)", path: path, cause: errno)
    }
}
