// swift-tools-version: 6.1
import PackageDescription

let package = Package(
    name: "Strata",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "StrataEngine", targets: ["StrataEngine"]),
        .library(name: "StrataGraph", targets: ["StrataGraph"]),
        .library(name: "StrataTiers", targets: ["StrataTiers"]),
        .library(name: "StrataTestSupport", targets: ["StrataTestSupport"]),
        .library(name: "StrataRandom", targets: ["StrataRandom"]),
        .library(name: "StrataVectorData", targets: ["StrataVectorData"]),
        .executable(name: "strata", targets: ["strata"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-system", from: "1.8.1"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    ],
    targets: [
        .systemLibrary(
            name: "CLZ4",
            pkgConfig: "liblz4",
            providers: [.apt(["liblz4-dev"]), .brew(["lz4"])]
        ),
        .systemLibrary(
            name: "CXXHash",
            pkgConfig: "libxxhash",
            providers: [.apt(["libxxhash-dev"]), .brew(["xxhash"])]
        ),
        .target(
            name: "StrataEngine",
            dependencies: [
                "CLZ4",
                "CXXHash",
                .product(name: "SystemPackage", package: "swift-system"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
            ],
            // Node and tree invariant checkers, run after every B-tree edit (debug builds only).
            swiftSettings: [.define("STRATA_INVARIANTS", .when(configuration: .debug))]
        ),
        // The agent-memory store: typed nodes, edges and embeddings with their indexes, over the engine.
        .target(name: "StrataGraph", dependencies: ["StrataEngine"]),
        // Tiered memory: active, recent and archive-by-quarter memory stores under one root, with a catalog.
        .target(name: "StrataTiers", dependencies: ["StrataGraph", "StrataEngine"]),
        // SplitMix64, shared by the CLI's demo, the test support and the benchmarks; no dependencies.
        .target(name: "StrataRandom"),
        // TEXMEX fvecs/ivecs files, the vectors loader, exact neighbours and recall: `strata vectors`.
        .target(name: "StrataVectorData", dependencies: ["StrataEngine", "StrataGraph"]),
        .executableTarget(
            name: "strata",
            dependencies: [
                "StrataEngine", "StrataGraph", "StrataRandom", "StrataTiers", "StrataVectorData",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(
            name: "StrataTestSupport",
            dependencies: ["StrataEngine", "StrataRandom", .product(name: "SystemPackage", package: "swift-system")]
        ),
        .testTarget(
            name: "StrataEngineTests",
            dependencies: [
                "StrataEngine", "StrataTestSupport", "StrataRandom",
                .product(name: "SystemPackage", package: "swift-system"),
            ],
            // The invariant tests and the model tests' checks exist only where the engine has them.
            swiftSettings: [.define("STRATA_INVARIANTS", .when(configuration: .debug))]
        ),
        .testTarget(
            name: "StrataGraphTests",
            dependencies: ["StrataGraph", "StrataEngine", "StrataTestSupport", "StrataRandom"]
        ),
        .testTarget(name: "StrataVectorDataTests", dependencies: ["StrataVectorData", "StrataEngine", "StrataGraph", "StrataTestSupport"]),
        .testTarget(
            name: "StrataTiersTests",
            dependencies: ["StrataTiers", "StrataGraph", "StrataEngine"]
        ),
        // Black-box tests: the engine and the graph used through their public API only, as an adopter would.
        .testTarget(
            name: "StrataBlackBoxTests",
            dependencies: ["StrataEngine", "StrataGraph", "StrataTestSupport"]
        ),
    ],
    swiftLanguageModes: [.v6]
)
