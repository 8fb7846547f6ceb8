import StrataEngine

/// A file opened through a ``FaultInjectingFileSystem``: its calls can be made to fail.
final class FaultInjectingFile: StorageFile {
    private let base: any StorageFile
    private let faults: FaultInjectingFileSystem

    init(base: any StorageFile, faults: FaultInjectingFileSystem) {
        self.base = base
        self.faults = faults
    }

    var path: String { base.path }

    func length() throws -> Int64 {
        try base.length()
    }

    func read(at offset: Int64, into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        try faults.check(.read, path: path)
        return try base.read(at: offset, into: buffer)
    }

    func write(_ bytes: UnsafeRawBufferPointer, at offset: Int64) throws {
        guard let fault = faults.fault(for: .write) else { return try base.write(bytes, at: offset) }
        if case .noSpace(writingPrefix: true) = fault, bytes.count > 1 {
            try base.write(UnsafeRawBufferPointer(rebasing: bytes.prefix(bytes.count / 2)), at: offset)
        }
        throw FaultInjectingFileSystem.error(for: fault, .write, path: path)
    }

    func sync() throws {
        try faults.checkSync(.sync, path: path)
        try base.sync()
    }

    func setLength(_ length: Int64) throws {
        try faults.check(.setLength, path: path)
        try base.setLength(length)
    }

    func close() throws {
        try base.close()
    }
}
