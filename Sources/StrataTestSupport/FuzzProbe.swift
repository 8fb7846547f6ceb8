@_spi(Fuzzing) import StrataEngine

/// What each fuzz target does with one input, shared by the libFuzzer targets in `Fuzz/` and
/// the tests that replay `Fuzz/regressions/` and `Fuzz/corpus/`.
public enum FuzzProbe: String, CaseIterable, Sendable {
    /// A WAL frame stream.
    case wal
    /// A stored page of any kind.
    case page
    /// A superblock slot.
    case superblock
    /// A catalog payload.
    case catalog
    /// A database directory packed as a ``PackedDatabaseImage``, opened and checked.
    case open

    /// Runs `bytes` through the probe. Returns a description of a broken promise (only the
    /// open probe finds those; the decoders' promise is not to trap, hang or allocate without
    /// bound), or nil.
    ///
    /// For `wal` and `superblock` the first byte is a mode: when odd, the checksums of the
    /// rest are repaired (``ChecksumSealer``) before it is decoded, so that mutations reach
    /// the decoding behind the checksum.
    public func check(_ bytes: [UInt8]) -> String? {
        switch self {
        case .wal:
            var rest = Array(bytes.dropFirst())
            if let mode = bytes.first, mode & 1 == 1 { ChecksumSealer.sealFrames(&rest, from: 0) }
            DecoderProbes.walFrames(rest)
        case .page:
            DecoderProbes.page(bytes)
        case .superblock:
            var rest = Array(bytes.dropFirst())
            if let mode = bytes.first, mode & 1 == 1 { ChecksumSealer.sealSuperblockSlot(&rest) }
            DecoderProbes.superblock(rest)
        case .catalog:
            DecoderProbes.catalog(bytes)
        case .open:
            return DatabaseOpenProbe.check(bytes)
        }
        return nil
    }

    /// Whether the target's decoder accepts `bytes` as a valid input, in the same mode
    /// handling as ``check(_:)``: every WAL frame parses (and at least one), the page, slot or
    /// catalog decodes, or the packed database opens, reads back and passes `verify()`.
    /// Seeds (`Fuzz/corpus/`) must be accepted; the regression tests use it to say so.
    public func accepts(_ bytes: [UInt8]) -> Bool {
        switch self {
        case .wal:
            var rest = Array(bytes.dropFirst())
            if let mode = bytes.first, mode & 1 == 1 { ChecksumSealer.sealFrames(&rest, from: 0) }
            return DecoderProbes.walFramesDecodeCompletely(rest)
        case .page:
            return DecoderProbes.page(bytes)
        case .superblock:
            var rest = Array(bytes.dropFirst())
            if let mode = bytes.first, mode & 1 == 1 { ChecksumSealer.sealSuperblockSlot(&rest) }
            return DecoderProbes.superblock(rest)
        case .catalog:
            return DecoderProbes.catalog(bytes)
        case .open:
            return DatabaseOpenProbe.opensAndVerifies(bytes)
        }
    }

    /// Seed inputs for the target, named, each a few KB at most.
    public func seeds() -> [(name: String, bytes: [UInt8])] {
        let samples = DecoderProbes.sampleEncodings()
        switch self {
        case .wal:
            let frame = samples.filter { $0.name == "wal-frame" }.flatMap(\.bytes)
            return [("wal-frame", [1] + frame), ("wal-frames-two", [1] + frame + frame), ("wal-frame-unsealed", [0] + frame)]
        case .page:
            return samples.filter { $0.name.hasSuffix("-page") || $0.name.hasSuffix("-page-lz4") }
        case .superblock:
            let slot = samples.filter { $0.name == "superblock" }.flatMap(\.bytes)
            return [("superblock", [1] + slot), ("superblock-unsealed", [0] + slot)]
        case .catalog:
            return samples.filter { $0.name == "catalog" }
        case .open:
            return SeedDatabases.make()
        }
    }
}
