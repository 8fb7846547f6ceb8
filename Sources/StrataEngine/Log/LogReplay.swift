/// Reads WAL files at open and hands every commit after the checkpoint to `apply`, in order.
///
/// A frame that is cut short or fails its checksum at the end of the newest file is a torn
/// tail: the file is truncated there and replay stops. The same damage anywhere else — in an
/// older file, or followed by a valid frame — is corruption, reported with file and offset.
/// With `readOnly` a torn tail is only skipped, never cut: replay then writes nothing.
struct LogReplay {
    let directory: String
    let fileSystem: any FileSystem
    var readOnly = false

    struct Outcome {
        var lastSequence: UInt64
        var lastFileID: UInt64?
        var framesApplied: Int
        var tornBytes: Int64
    }

    func run(
        fileIDs: [UInt64], after checkpointSequence: UInt64,
        apply: (UInt64, FrameOperations) throws -> Void
    ) throws -> Outcome {
        var outcome = Outcome(lastSequence: checkpointSequence, lastFileID: fileIDs.last, framesApplied: 0, tornBytes: 0)
        for (position, id) in fileIDs.enumerated() {
            if position > 0, id != fileIDs[position - 1] + 1 {
                throw StrataError(
                    .corruption, "WAL file \(fileIDs[position - 1] + 1) is missing",
                    path: directory + "/" + DatabaseFiles.wal(fileIDs[position - 1] + 1), offset: 0)
            }
            let isLast = position == fileIDs.count - 1
            let path = directory + "/" + DatabaseFiles.wal(id)
            let file = try readOnly ? fileSystem.openFileForReading(path) : fileSystem.openFile(path, create: false)
            defer { try? file.close() }
            let length = try file.length()
            let bytes = try file.readExactly(at: 0, count: Int(length))
            guard bytes.count >= LogFrame.fileHeaderSize, bytes[0..<LogFrame.fileHeaderSize].elementsEqual(LogFrame.fileHeader(id: id))
            else {
                guard isLast, !containsValidFrame(bytes, from: 0) else {
                    throw StrataError.corruption("WAL file header is invalid", path: path, offset: 0)
                }
                outcome.tornBytes += length
                if readOnly { continue }
                try file.setLength(0)
                try file.write(LogFrame.fileHeader(id: id), at: 0)
                try file.sync()
                continue
            }
            var offset = LogFrame.fileHeaderSize
            while offset < bytes.count {
                switch LogFrame.parse(bytes, at: offset) {
                case .frame(let sequence, let operations, let size):
                    guard sequence == outcome.lastSequence + 1 else {
                        throw StrataError.corruption(
                            "WAL frame has sequence \(sequence), expected \(outcome.lastSequence + 1)",
                            path: path, offset: Int64(offset))
                    }
                    try apply(sequence, operations)
                    outcome.lastSequence = sequence
                    outcome.framesApplied += 1
                    offset += size
                case .truncated, .invalid:
                    guard isLast, !containsValidFrame(bytes, from: offset + 1) else {
                        throw StrataError.corruption("WAL frame is damaged", path: path, offset: Int64(offset))
                    }
                    outcome.tornBytes += Int64(bytes.count - offset)
                    if !readOnly {
                        try file.setLength(Int64(offset))
                        try file.sync()
                    }
                    offset = bytes.count
                }
            }
        }
        return outcome
    }

    /// Whether a valid frame starts anywhere at or after `start` (damage followed by good data
    /// is corruption, not a torn tail).
    private func containsValidFrame(_ bytes: [UInt8], from start: Int) -> Bool {
        guard bytes.count >= 4 else { return false }
        var offset = max(start, 0)
        while offset + LogFrame.headerSize + LogFrame.trailerSize <= bytes.count {
            if bytes[offset] == 0x53, bytes[offset + 1] == 0x57, bytes[offset + 2] == 0x41, bytes[offset + 3] == 0x4C,
                case .frame = LogFrame.parse(bytes, at: offset)
            {
                return true
            }
            offset += 1
        }
        return false
    }
}
