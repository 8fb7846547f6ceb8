import Synchronization

/// The segment files of a database: reading pages by address, and appending the pages a
/// checkpoint writes to the active segment, starting a new one when it is full.
///
/// Appends happen only inside a checkpoint (under the writer lock); reads come from any thread.
final class SegmentStore: Sendable {
    let directory: String
    let fileSystem: any FileSystem
    let segmentSize: Int
    /// Segment files are opened for reading only (a read-only database).
    let readOnly: Bool

    private struct Files {
        var open: [UInt32: any StorageFile] = [:]
    }

    private struct Writer {
        var activeID: UInt32
        var activeEnd: UInt64
        var nextID: UInt32
        var buffer: [UInt8] = []
        var bufferStart: UInt64 = 0
        /// Segments appended to since the last `syncWritten`.
        var touched: Set<UInt32> = []
        /// Bytes appended per segment since the last checkpoint.
        var appended: [UInt32: UInt64] = [:]
    }

    private let files = Lock(Files())
    private let writer: Lock<Writer>
    private static let bufferLimit = 1 << 20

    init(
        directory: String, fileSystem: any FileSystem, segmentSize: Int, activeID: UInt32, activeEnd: UInt64, nextID: UInt32,
        readOnly: Bool = false
    ) {
        self.directory = directory
        self.fileSystem = fileSystem
        self.segmentSize = segmentSize
        self.readOnly = readOnly
        writer = Lock(Writer(activeID: activeID, activeEnd: activeEnd, nextID: nextID, bufferStart: activeEnd))
    }

    func path(of id: UInt32) -> String { directory + "/" + DatabaseFiles.segment(id) }

    /// The open file of segment `id`, opening it on first use.
    func file(_ id: UInt32) throws -> any StorageFile {
        if let file = files.withLock({ $0.open[id] }) { return file }
        let file = try readOnly ? fileSystem.openFileForReading(path(of: id)) : fileSystem.openFile(path(of: id), create: false)
        return files.withLock { state in
            if let existing = state.open[id] { return existing }
            state.open[id] = file
            return file
        }
    }

    /// Reads the stored bytes at `address` and checks them against its checksum.
    func read(_ address: PageAddress) throws -> [UInt8] {
        let file = try file(address.segment)
        let bytes = try file.readExactly(at: Int64(address.offset), count: Int(address.length))
        guard Checksum.xxh3(bytes) == address.checksum else {
            throw StrataError.corruption(
                "page checksum mismatch (\(address.length) bytes)", path: file.path, offset: Int64(address.offset))
        }
        return bytes
    }

    var position: (activeID: UInt32, activeEnd: UInt64, nextID: UInt32) {
        writer.withLock { ($0.activeID, $0.activeEnd, $0.nextID) }
    }

    /// Seals the active segment (pages go to a new one from now on), so that segment GC can
    /// collect it. Does nothing if it is empty.
    func sealActive() throws {
        try writer.withLock { w in
            guard w.activeEnd > 0 else { return }
            try startSegment(&w)
        }
    }

    private func startSegment(_ w: inout Writer) throws {
        try flushBuffer(&w)
        // Segment ids are u32 on disk (PageAddress) and never reused.
        guard w.nextID < UInt32.max else {
            throw StrataError(.invalidArgument, "every segment id has been used; compact into a new database", path: directory)
        }
        w.activeID = w.nextID
        w.nextID += 1
        w.activeEnd = 0
        w.bufferStart = 0
        let file = try fileSystem.openFile(path(of: w.activeID), create: true)
        files.withLock { $0.open[w.activeID] = file }
        try fileSystem.syncDirectory(directory)
    }

    /// Appends one stored page and returns its address.
    func append(_ bytes: [UInt8]) throws -> PageAddress {
        try writer.withLock { w in
            if w.activeEnd > 0, w.activeEnd + UInt64(bytes.count) > UInt64(segmentSize) {
                try startSegment(&w)
            }
            let address = PageAddress(
                segment: w.activeID, offset: UInt32(w.activeEnd), length: UInt32(bytes.count),
                checksum: Checksum.xxh3(bytes))
            w.buffer.append(contentsOf: bytes)
            w.activeEnd += UInt64(bytes.count)
            w.touched.insert(w.activeID)
            w.appended[w.activeID, default: 0] += UInt64(bytes.count)
            if w.buffer.count >= SegmentStore.bufferLimit { try flushBuffer(&w) }
            return address
        }
    }

    /// Writes buffered pages and fsyncs every segment appended to since the last call.
    /// Returns the bytes appended per segment.
    func syncWritten() throws -> [UInt32: UInt64] {
        let (touched, appended) = try writer.withLock { w in
            try flushBuffer(&w)
            defer {
                w.touched = []
                w.appended = [:]
            }
            return (w.touched, w.appended)
        }
        for id in touched.sorted() { try file(id).sync() }
        return appended
    }

    /// Cuts the active segment back to its durable end (pages of an unfinished checkpoint).
    func truncateActive(to end: UInt64) throws {
        let id = writer.withLock { $0.activeID }
        if (try? fileSystem.kind(of: path(of: id))) == .regularFile {
            let file = try file(id)
            // Compared as UInt64: `end` comes from disk and may not fit an Int64.
            if UInt64(try file.length()) > end {
                try file.setLength(Int64(end))
                try file.sync()
            } else if UInt64(try file.length()) < end {
                throw StrataError.corruption(
                    "segment is shorter than the checkpoint says (\(try file.length()) < \(end))",
                    path: file.path, offset: try file.length())
            }
        } else if end > 0 {
            throw StrataError(.corruption, "segment file is missing", path: path(of: id), offset: 0)
        } else {
            _ = try fileSystem.openFile(path(of: id), create: true)
            try fileSystem.syncDirectory(directory)
        }
    }

    /// Deletes a segment file no checkpoint or reader needs any longer.
    func delete(_ id: UInt32) throws {
        let file = files.withLock { $0.open.removeValue(forKey: id) }
        try? file?.close()
        try fileSystem.removeFile(path(of: id))
    }

    func closeAll() {
        let all = files.withLock { state in
            defer { state.open = [:] }
            return Array(state.open.values)
        }
        for file in all { try? file.close() }
    }

    private func flushBuffer(_ w: inout Writer) throws {
        guard !w.buffer.isEmpty else { return }
        let file = try file(w.activeID)
        try file.write(w.buffer, at: Int64(w.bufferStart))
        w.bufferStart += UInt64(w.buffer.count)
        w.buffer.removeAll(keepingCapacity: true)
    }
}
