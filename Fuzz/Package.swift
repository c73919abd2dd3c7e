// swift-tools-version:6.0
import PackageDescription

// libFuzzer targets for Agora's parsers (issue 18). A package of its own, so that `swift build` and `swift test` of
// the root never compile or link fuzz code. Build and run with scripts/fuzz; see docs/SECURITY.md, "Fuzzing".
//
// Each target is an executable whose entry is `LLVMFuzzerTestOneInput`; its `main` runs libFuzzer's driver, which
// comes with `-sanitize=fuzzer`, so these only link when built with it.
let package = Package(
    name: "AgoraFuzz",
    platforms: [.macOS(.v13)],
    dependencies: [
        .package(name: "agora", path: ".."),
    ],
    targets: [
        .target(name: "CLibFuzzer"),
        .target(name: "FuzzSupport", dependencies: ["CLibFuzzer"]),
        .executableTarget(
            name: "FuzzSanitizer",
            dependencies: ["FuzzSupport", .product(name: "AgoraCore", package: "agora"),
                           .product(name: "AgoraScreen", package: "agora")]
        ),
        .executableTarget(name: "FuzzCSV", dependencies: ["FuzzSupport", .product(name: "AgoraCore", package: "agora")]),
        .executableTarget(name: "FuzzTheme", dependencies: ["FuzzSupport", .product(name: "AgoraScreen", package: "agora")]),
        .executableTarget(name: "FuzzConfig", dependencies: ["FuzzSupport", .product(name: "AgoraScreen", package: "agora")]),
        .executableTarget(name: "FuzzDate", dependencies: ["FuzzSupport", .product(name: "AgoraCore", package: "agora")]),
        .executableTarget(
            name: "FuzzWire",
            dependencies: ["FuzzSupport", .product(name: "AgoraCore", package: "agora"),
                           .product(name: "AgoraWire", package: "agora")]
        ),
    ]
)
