// Micro-benchmarks of StrataEngine's hot paths, through `@_spi(Benchmarks) HotPathProbes`.
//
//     swift package --package-path Benchmarks benchmark --target HotPaths
//
// Inputs are built once, outside the measured closures; each closure runs one operation per
// scaled iteration, so every metric (wall clock, throughput, mallocs) is per operation.
// Docs/MICROBENCHMARKS.md says what each one measures.

import Benchmark
@_spi(Benchmarks) import StrataEngine

/// The page size the writer aims leaves at, and the entry shape of the leaf benchmarks.
let pageBytes = 8192
let keyLength = 16
let valueLength = 100

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .throughput, .mallocCountTotal],
        warmupIterations: 10,
        scalingFactor: .kilo,
        maxDuration: .seconds(1),
        maxIterations: 10_000
    )
    /// For operations of tens of microseconds or more: one operation per iteration.
    let single = Benchmark.Configuration(scalingFactor: .one)

    // MARK: Leaves and branches

    let entries = HotPathProbes.leafEntries(fitting: pageBytes, keyLength: keyLength, valueLength: valueLength)
    let leaf = HotPathProbes.makeLeaf(entries: entries, keyLength: keyLength, valueLength: valueLength)
    // Stored ordinals are even; probe every stored key in turn, or every gap between them.
    let hitKeys = (0..<entries).map { HotPathProbes.key(UInt64(2 * $0), keyLength: keyLength) }
    let missKeys = (0..<entries).map { HotPathProbes.key(UInt64(2 * $0 + 1), keyLength: keyLength) }

    Benchmark("leaf search hit (\(entries) entries)") { benchmark in
        for i in benchmark.scaledIterations {
            blackHole(HotPathProbes.search(leaf, key: hitKeys[i % entries]))
        }
    }

    Benchmark("leaf search miss (\(entries) entries)") { benchmark in
        for i in benchmark.scaledIterations {
            blackHole(HotPathProbes.search(leaf, key: missKeys[i % entries]))
        }
    }

    Benchmark("leaf copy (\(entries) entries)") { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(HotPathProbes.copyLeaf(leaf))
        }
    }

    let insertValue = HotPathProbes.value(seed: 99, length: valueLength)
    Benchmark("leaf insert into copy (\(entries) entries)") { benchmark in
        for i in benchmark.scaledIterations {
            blackHole(HotPathProbes.insertIntoCopy(leaf, key: missKeys[i % entries], value: insertValue))
        }
    }

    // As many 16-byte separators as an 8 KiB branch page holds (20-byte address + 17 bytes each).
    let children = (pageBytes - 24) / (20 + 1 + keyLength)
    let branch = HotPathProbes.makeBranch(children: children, keyLength: keyLength)
    let branchKeys = (0..<children).map { HotPathProbes.key(UInt64(2 * $0 + 1), keyLength: keyLength) }
    Benchmark("branch childIndex (\(children) children)") { benchmark in
        for i in benchmark.scaledIterations {
            blackHole(HotPathProbes.childIndex(branch, key: branchKeys[i % children]))
        }
    }

    // MARK: WAL frames

    let batch = HotPathProbes.makeOperations(count: 1000, keyLength: keyLength, valueLength: valueLength)
    let frame = HotPathProbes.encodeFrame(batch, sequence: 1)
    precondition(HotPathProbes.parseFrame(frame) == batch.count)

    Benchmark("WAL frame encode (1000 puts, \(frame.count) B)", configuration: single) { benchmark in
        for i in benchmark.scaledIterations {
            blackHole(HotPathProbes.encodeFrame(batch, sequence: UInt64(i)))
        }
    }

    Benchmark("WAL frame parse (1000 puts, \(frame.count) B)", configuration: single) { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(HotPathProbes.parseFrame(frame))
        }
    }

    // MARK: Checksum and compression

    for size in [4096, 65536] {
        let bytes = HotPathProbes.value(seed: UInt64(size), length: size)
        Benchmark("XXH3-64 \(size / 1024) KiB") { benchmark in
            for _ in benchmark.scaledIterations {
                blackHole(HotPathProbes.xxh3(bytes))
            }
        }
    }

    let payload = HotPathProbes.leafPayload(leaf)
    let block = HotPathProbes.lz4Compress(payload)
    precondition(HotPathProbes.lz4Decompress(block, decompressedCount: payload.count) == payload)

    Benchmark("LZ4 compress leaf payload (\(payload.count) B)") { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(HotPathProbes.lz4Compress(payload))
        }
    }

    Benchmark("LZ4 decompress leaf payload (\(block.count) B)") { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(HotPathProbes.lz4Decompress(block, decompressedCount: payload.count))
        }
    }

    // MARK: Page decode and cache

    let rawPage = HotPathProbes.leafPage(leaf, compress: false)
    let packedPage = HotPathProbes.leafPage(leaf, compress: true)
    precondition(HotPathProbes.decodeLeafPage(rawPage) == entries)
    precondition(HotPathProbes.decodeLeafPage(packedPage) == entries)
    precondition(packedPage.count < rawPage.count, "the LZ4 page should be compressed")

    Benchmark("leaf page decode, raw (\(rawPage.count) B)") { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(HotPathProbes.decodeLeafPage(rawPage))
        }
    }

    Benchmark("leaf page decode, LZ4 (\(packedPage.count) B)") { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(HotPathProbes.decodeLeafPage(packedPage))
        }
    }

    // 4096 cached leaves (about 36 MiB of a 64 MiB budget): every lookup hits.
    let cachedPages = 4096
    let cache = HotPathProbes.OpaqueCache(budget: 64 << 20)
    let pageKeys = (0..<UInt64(cachedPages)).map { 1 << 32 | $0 * UInt64(pageBytes) }
    for key in pageKeys { cache.insert(key: key, leaf: leaf) }
    precondition(pageKeys.allSatisfy { cache.get(key: $0) })

    Benchmark("page cache hit (\(cachedPages) pages)") { benchmark in
        for i in benchmark.scaledIterations {
            blackHole(cache.get(key: pageKeys[i % cachedPages]))
        }
    }
}
