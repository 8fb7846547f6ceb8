@_spi(Fuzzing) import StrataEngine
import StrataTestSupport

/// One libFuzzer target: the property it checks on one input and the seeds of its corpus.
public enum FuzzTarget: String, CaseIterable, Sendable {
    case wal
    case page
    case superblock
    case catalog
    case open

    /// Runs the input through the decoder or the open path. Traps (so libFuzzer records a
    /// crash) when the engine breaks a promise without trapping itself.
    public func run(_ data: UnsafePointer<UInt8>?, _ size: Int) {
        let bytes = data.map { [UInt8](UnsafeBufferPointer(start: $0, count: size)) } ?? []
        switch self {
        case .wal: DecoderProbes.walFrames(bytes)
        case .page: DecoderProbes.page(bytes)
        case .superblock: DecoderProbes.superblock(bytes)
        case .catalog: DecoderProbes.catalog(bytes)
        case .open:
            if let failure = DatabaseOpenProbe.check(bytes) { fatalError("fuzz-open: \(failure)") }
        }
    }

    /// Seed inputs, named, each a few KB at most.
    public func seeds() -> [(name: String, bytes: [UInt8])] {
        let samples = DecoderProbes.sampleEncodings()
        func named(_ prefix: String) -> [(name: String, bytes: [UInt8])] {
            samples.filter { $0.name.hasPrefix(prefix) }
        }
        switch self {
        case .wal:
            let frames = named("wal-frame")
            return frames + [("wal-frames-two", frames.flatMap(\.bytes) + frames.flatMap(\.bytes))]
        case .page: return samples.filter { $0.name.hasSuffix("-page") || $0.name.hasSuffix("-page-lz4") }
        case .superblock: return named("superblock")
        case .catalog: return samples.filter { $0.name == "catalog" }
        case .open: return OpenSeeds.make()
        }
    }
}
