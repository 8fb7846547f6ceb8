// swift-tools-version: 6.1
//
// Strata's crash and fault proof: simulated power loss, real SIGKILL runs, injected I/O
// errors (the campaigns), and libFuzzer targets for every on-disk decoder.
//
// A nested package depending on the root by path, so sanitizer and fuzzer flags never touch
// `swift build` / `swift test` of the library. Campaigns build normally; fuzz targets build
// with `-sanitize=fuzzer,address` in their own scratch path (see fuzz.sh).

import PackageDescription

let package = Package(
    name: "StrataFuzz",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(name: "Strata", path: ".."),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    ],
    targets: [
        // Workload generation, the model of acknowledged commits, the checker and the
        // summary line shared by the campaigns.
        .target(
            name: "CampaignSupport",
            dependencies: [
                .product(name: "StrataEngine", package: "Strata"),
                .product(name: "StrataGraph", package: "Strata"),
                .product(name: "StrataTiers", package: "Strata"),
                .product(name: "StrataTestSupport", package: "Strata"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .executableTarget(
            name: "crash-campaign",
            dependencies: [
                "CampaignSupport", .product(name: "StrataTiers", package: "Strata"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .executableTarget(
            name: "kill-campaign",
            dependencies: ["CampaignSupport", .product(name: "ArgumentParser", package: "swift-argument-parser")]
        ),
        .executableTarget(
            name: "fault-campaign",
            dependencies: ["CampaignSupport", .product(name: "ArgumentParser", package: "swift-argument-parser")]
        ),
        .testTarget(name: "CampaignSupportTests", dependencies: ["CampaignSupport"]),

        // libFuzzer targets: each defines LLVMFuzzerTestOneInput over one decoder.
        .target(
            name: "FuzzTargets",
            dependencies: [
                .product(name: "StrataEngine", package: "Strata"),
                .product(name: "StrataTestSupport", package: "Strata"),
            ]
        ),
        .executableTarget(name: "fuzz-wal", dependencies: ["FuzzTargets"]),
        .executableTarget(name: "fuzz-page", dependencies: ["FuzzTargets"]),
        .executableTarget(name: "fuzz-superblock", dependencies: ["FuzzTargets"]),
        .executableTarget(name: "fuzz-catalog", dependencies: ["FuzzTargets"]),
        .executableTarget(name: "fuzz-open", dependencies: ["FuzzTargets"]),
    ],
    swiftLanguageModes: [.v6]
)
