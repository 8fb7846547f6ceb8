/// The file of a ``WriteAheadLog`` that has none (a read-only database): it reads nothing and
/// refuses every write with ``StrataError/Code/readOnly``.
final class DetachedLogFile: StorageFile {
    let path: String

    init(path: String) {
        self.path = path
    }

    func length() throws -> Int64 { 0 }

    func read(at offset: Int64, into buffer: UnsafeMutableRawBufferPointer) throws -> Int { 0 }

    func write(_ bytes: UnsafeRawBufferPointer, at offset: Int64) throws { throw refused() }

    func sync() throws {}

    func setLength(_ length: Int64) throws { throw refused() }

    func close() throws {}

    private func refused() -> StrataError {
        StrataError(.readOnly, "the database is open read-only: nothing is written", path: path)
    }
}
