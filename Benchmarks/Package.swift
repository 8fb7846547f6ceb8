// swift-tools-version: 6.1
//
// Strata's storage benchmark: the db_bench-style workloads of
// shared/bench/WORKLOADS.md, run against Strata and four C peers.
//
// A nested package, so that a missing C library or a peer adapter can never
// break `swift build` of the engine itself.
//
// The Strata peer depends on the root package by path. STRATA_BENCH_ENGINE=0
// leaves it out, so that BenchCore, the four C peers, the tests and
// `strata-bench` build and run on their own.
//
//     swift build -c release --product strata-bench                        # all five engines
//     STRATA_BENCH_ENGINE=0 swift build -c release --product strata-bench  # peers only

import PackageDescription

/// Whether the Strata peer is built when STRATA_BENCH_ENGINE is not set.
let includeStrataPeerByDefault = true

let includeStrataPeer: Bool = {
    switch Context.environment["STRATA_BENCH_ENGINE"] {
    case "1", "true", "yes": return true
    case "0", "false", "no": return false
    default: return includeStrataPeerByDefault
    }
}()

var dependencies: [Package.Dependency] = [
    .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    // Always: BenchCore takes SplitMix64 from the root's dependency-free StrataRandom module.
    .package(name: "Strata", path: ".."),
]

var targets: [Target] = [
    // Workload generators, the KVPeer protocol, the runners and the JSON output.
    // SplitMix64 comes from StrataRandom, which has no dependency on StrataEngine.
    .target(name: "BenchCore", dependencies: [.product(name: "StrataRandom", package: "Strata")]),

    // C libraries of the peers, from Debian's -dev packages.
    .systemLibrary(
        name: "CLMDB",
        pkgConfig: "lmdb",
        providers: [.apt(["liblmdb-dev"]), .brew(["lmdb"])]
    ),
    .systemLibrary(
        name: "CRocksDB",
        pkgConfig: "rocksdb",
        providers: [.apt(["librocksdb-dev"]), .brew(["rocksdb"])]
    ),
    // Debian's libleveldb-dev ships no .pc file: the module map links "leveldb".
    .systemLibrary(
        name: "CLevelDB",
        providers: [.apt(["libleveldb-dev"]), .brew(["leveldb"])]
    ),
    .systemLibrary(
        name: "CSQLite",
        pkgConfig: "sqlite3",
        providers: [.apt(["libsqlite3-dev"]), .brew(["sqlite"])]
    ),

    // One adapter per peer, each implementing BenchCore.KVPeer.
    .target(name: "PeerLMDB", dependencies: ["BenchCore", "CLMDB"]),
    .target(name: "PeerRocksDB", dependencies: ["BenchCore", "CRocksDB"]),
    .target(name: "PeerLevelDB", dependencies: ["BenchCore", "CLevelDB"]),
    .target(name: "PeerSQLite", dependencies: ["BenchCore", "CSQLite"]),

    .testTarget(name: "BenchCoreTests", dependencies: ["BenchCore"]),

    // The MW1 agent-memory workload (shared/bench/MEMORY-WORKLOAD.md): the dataset loader, the
    // MW1Store protocol and the runner that checks every answer; one driver target per store.
    .target(name: "MW1Core", dependencies: ["BenchCore"]),
    .target(name: "MW1SQLite", dependencies: ["MW1Core", "BenchCore", "CSQLite"]),
    .testTarget(name: "MW1Tests", dependencies: ["MW1Core", "MW1SQLite"]),
]

var executableDependencies: [Target.Dependency] = [
    "BenchCore",
    "PeerLMDB",
    "PeerRocksDB",
    "PeerLevelDB",
    "PeerSQLite",
    .product(name: "ArgumentParser", package: "swift-argument-parser"),
]

if includeStrataPeer {
    targets.append(
        .target(
            name: "PeerStrata",
            dependencies: ["BenchCore", .product(name: "StrataEngine", package: "Strata")]
        )
    )
    // strata-bench checks `#if canImport(PeerStrata)`, so nothing else changes.
    executableDependencies.append("PeerStrata")
    // fillrandom into a Strata tree, shared by the two probes below.
    targets.append(
        .target(name: "StrataFill", dependencies: ["BenchCore", .product(name: "StrataEngine", package: "Strata")])
    )
    // Peak memory under fixed budgets, with the engine's own accounting beside the RSS.
    targets.append(
        .executableTarget(
            name: "strata-memory",
            dependencies: ["BenchCore", "StrataFill", .product(name: "StrataEngine", package: "Strata")]
        )
    )
    // Open time after a SIGKILL in the middle of fillrandom (see open-after-kill.sh).
    targets.append(
        .executableTarget(
            name: "strata-open",
            dependencies: ["BenchCore", "StrataFill", .product(name: "StrataEngine", package: "Strata")]
        )
    )
    // Reads over a transaction's own writes: inserts each followed by a prefix scan.
    targets.append(
        .executableTarget(name: "strata-txscan", dependencies: [.product(name: "StrataEngine", package: "Strata")])
    )
    // Issue 12's tier benchmark: a tiered store (archives by quarter + active) against a single
    // store holding only the active records (run-tiers.sh).
    targets.append(
        .executableTarget(
            name: "strata-tiers",
            dependencies: [
                "BenchCore", .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "StrataEngine", package: "Strata"), .product(name: "StrataGraph", package: "Strata"),
                .product(name: "StrataTiers", package: "Strata"), .product(name: "StrataRandom", package: "Strata"),
            ]
        )
    )
    // Micro-benchmarks of the engine's hot paths (`swift package benchmark`), through the
    // engine's `@_spi(Benchmarks) HotPathProbes`. package-benchmark's plugin finds the target by
    // its folder, Benchmarks/HotPaths. The package's current name is "benchmark" (formerly
    // package-benchmark, an identifier its plugin now warns about). Only the MallocInterposer
    // trait: the default traits add swift-runtime-interposer, for retain/release metrics, which
    // these benchmarks do not take and which is not available here.
    dependencies.append(
        .package(url: "https://github.com/ordo-one/benchmark", from: "1.38.1", traits: ["MallocInterposer"])
    )
    targets.append(
        .executableTarget(
            name: "HotPaths",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "StrataEngine", package: "Strata"),
            ],
            path: "Benchmarks/HotPaths",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        )
    )
}

targets.append(
    .executableTarget(name: "strata-bench", dependencies: executableDependencies)
)

/// Whether `mw1 --store strata` is built: its driver, Sources/StrataMW1/StrataMW1Store.swift,
/// needs the StrataGraph module of the root package. Until then `--store strata` exits 2.
let includeStrataMW1 = true

var mw1Dependencies: [Target.Dependency] = [
    "MW1Core",
    "MW1SQLite",
    "BenchCore",
    .product(name: "ArgumentParser", package: "swift-argument-parser"),
]
if includeStrataMW1 {
    targets.append(
        .target(name: "StrataMW1", dependencies: ["MW1Core", "BenchCore", .product(name: "StrataGraph", package: "Strata"), .product(name: "StrataEngine", package: "Strata")])
    )
    // mw1 picks it up by `#if canImport(StrataMW1)`.
    mw1Dependencies.append("StrataMW1")
}
targets.append(.executableTarget(name: "mw1", dependencies: mw1Dependencies))
if includeStrataMW1 {
    // Loops one phase's queries on a store `mw1 --keep` left, for instruction counts per query.
    targets.append(.executableTarget(name: "mw1-loop", dependencies: ["MW1Core", "MW1SQLite", "StrataMW1"]))
}

let package = Package(
    name: "StrataBenchmarks",
    platforms: [.macOS(.v15)],
    dependencies: dependencies,
    targets: targets,
    swiftLanguageModes: [.v6]
)
