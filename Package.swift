// swift-tools-version:6.0
import PackageDescription

// Dependencies point one way, downward (see docs/DECISIONS.md):
// CNcursesw, AgoraCore, AgoraScreen  <-  AgoraStore, AgoraCurses, AgoraTUI, AgoraWire  <-  AgoraApp, AgoraClient, AgoraServer  <-  agora
// AgoraCore declares the store protocols; only AgoraStore (and the executable that opens it) knows SQLite.
let package = Package(
    name: "agora",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "agora", targets: ["agora"]),
        // For the fuzz package (Fuzz/Package.swift), which builds against these by path; nothing else uses them.
        .library(name: "AgoraCore", targets: ["AgoraCore"]),
        .library(name: "AgoraScreen", targets: ["AgoraScreen"]),
        .library(name: "AgoraWire", targets: ["AgoraWire"]),
    ],
    dependencies: [
        .package(url: "https://github.com/groue/GRDB.swift", exact: "7.10.0"),
        .package(url: "https://github.com/apple/swift-argument-parser", exact: "1.8.2"),
        .package(url: "https://github.com/LebJe/TOMLKit", exact: "0.6.0"),
        .package(url: "https://github.com/apple/swift-nio", exact: "2.101.3"),
        .package(url: "https://github.com/apple/swift-log", exact: "1.16.2"),
    ],
    targets: [
        .systemLibrary(
            name: "CNcursesw",
            path: "Sources/CNcursesw",
            providers: [.apt(["libncurses-dev"])]
        ),
        .target(name: "AgoraCore"),
        .target(
            name: "AgoraStore",
            dependencies: ["AgoraCore", .product(name: "GRDB", package: "GRDB.swift"),
                           .product(name: "GRDBSQLite", package: "GRDB.swift")]
        ),
        .target(
            name: "AgoraScreen",
            dependencies: [.product(name: "TOMLKit", package: "TOMLKit")]
        ),
        .target(name: "AgoraTUI", dependencies: ["AgoraCore", "AgoraScreen"]),
        .target(
            name: "AgoraCurses",
            dependencies: ["AgoraScreen", "CNcursesw"],
            swiftSettings: [.swiftLanguageMode(.v5)]
        ),
        // The event loop and the bridge from effects to the store protocols: no GRDB, no curses, no file paths.
        .target(
            name: "AgoraApp",
            dependencies: ["AgoraCore", "AgoraScreen", "AgoraTUI"],
            swiftSettings: [.swiftLanguageMode(.v5)]
        ),
        // The daemon's wire (frames, calls) and its client: no NIO, so a session's loop stays one poll().
        .target(name: "AgoraWire", dependencies: ["AgoraCore"]),
        .target(name: "AgoraClient", dependencies: ["AgoraCore", "AgoraWire"], swiftSettings: [.swiftLanguageMode(.v5)]),
        // `agora serve`: SwiftNIO on the socket, the store behind it.
        .target(
            name: "AgoraServer",
            dependencies: [
                "AgoraCore", "AgoraWire",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: [.swiftLanguageMode(.v5)]
        ),
        .target(
            name: "AgoraTestSupport",
            dependencies: ["AgoraCore", "AgoraScreen", "AgoraTUI", "AgoraStore"]
        ),
        .executableTarget(
            name: "agora",
            dependencies: [
                "AgoraCore", "AgoraStore", "AgoraScreen", "AgoraTUI", "AgoraCurses", "AgoraApp",
                "AgoraWire", "AgoraClient", "AgoraServer",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: [.swiftLanguageMode(.v5)]
        ),
        .testTarget(name: "AgoraCoreTests", dependencies: ["AgoraCore"]),
        .testTarget(name: "AgoraStoreTests", dependencies: ["AgoraStore", "AgoraTestSupport", "AgoraServer", "AgoraClient"]),
        .testTarget(name: "AgoraScreenTests", dependencies: ["AgoraScreen", "AgoraTestSupport"]),
        .testTarget(name: "AgoraTUITests", dependencies: ["AgoraTUI", "AgoraTestSupport"]),
        .testTarget(name: "AgoraAppTests", dependencies: ["AgoraApp", "AgoraStore", "AgoraTUI", "AgoraTestSupport"]),
        .testTarget(name: "AgoraCLITests", dependencies: ["AgoraCore", "AgoraScreen", "AgoraStore", "AgoraTestSupport"]),
        .testTarget(
            name: "AgoraServerTests",
            dependencies: ["AgoraServer", "AgoraClient", "AgoraWire", "AgoraStore", "AgoraTestSupport",
                           .product(name: "Logging", package: "swift-log")]
        ),
    ]
)
