// swift-tools-version: 6.1
import PackageDescription

let package = Package(
    name: "source-agent",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "source-agent", targets: ["source-agent"]),
        // For the fuzz targets in Fuzz/, a package of their own (libFuzzer supplies `main`).
        .library(name: "FulfillmentCore", targets: ["FulfillmentCore"]),
        .library(name: "SourceAgentCommands", targets: ["SourceAgentCommands"]),
        .library(name: "SourceAgentConsole", targets: ["SourceAgentConsole"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.0.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.0"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.0"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.0.0"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.0.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.6.0"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.5.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.0.0"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth", from: "2.5.0"),
        .package(url: "https://github.com/vapor/multipart-kit", from: "4.7.1"),
    ],
    targets: [
        .executableTarget(
            name: "source-agent",
            dependencies: ["SourceAgentCommands"]
        ),
        // The same agent with its crash points armed, for the crash-safety tests only; never packaged.
        .executableTarget(
            name: "source-agent-crash-test",
            dependencies: ["SourceAgentCommands", "SourceAgent"]
        ),
        .target(
            name: "SourceAgentCommands",
            dependencies: [
                "FulfillmentCore", "FlxpointAPI", "FlxpointSandbox", "AgentStore", "AgentStoreSQLite",
                "AgentStorePostgres",
                "SourceAgent", "SourceAgentConsole",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Yams", package: "Yams"),
            ]
        ),
        // The web console: pages, sign-in and the forms a person acts through.
        .target(
            name: "SourceAgentConsole",
            dependencies: [
                "CCrypt", "CArgon2", "FulfillmentCore", "AgentStore", "SourceAgent",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdAuth", package: "hummingbird-auth"),
                .product(name: "MultipartKit", package: "multipart-kit"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        // The store interface: protocols by table, their records and values; no GRDB, no SQL.
        .target(
            name: "AgentStore",
            dependencies: ["FulfillmentCore"]
        ),
        // Query text both engines run as it is.
        .target(name: "AgentStoreSQL"),
        // The embedded engine (SQLite through GRDB).
        .target(
            name: "AgentStoreSQLite",
            dependencies: [
                "AgentStore", "AgentStoreSQL", "FulfillmentCore", .product(name: "GRDB", package: "GRDB.swift"),
            ]
        ),
        .target(
            name: "AgentStorePostgres",
            dependencies: [
                "AgentStore", "AgentStoreSQL", "FlxpointAPI", "FulfillmentCore",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(
            name: "SourceAgent",
            dependencies: [
                "FulfillmentCore", "FlxpointAPI", "AgentStore",
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Mustache", package: "swift-mustache"),
            ]
        ),
        .target(
            name: "FlxpointAPI",
            dependencies: [
                "FulfillmentCore",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(
            name: "FlxpointSandbox",
            dependencies: [
                "FlxpointAPI",
                "FulfillmentCore",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        .target(
            name: "AgentTesting",
            dependencies: [
                "FlxpointAPI", "FlxpointSandbox", "FulfillmentCore",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
            ]
        ),
        // libxcrypt (libcrypt-dev): the password hashes of the console's users file.
        .systemLibrary(name: "CCrypt"),
        // libargon2 (libargon2-dev): Argon2 password hashes of the console's users file.
        .systemLibrary(name: "CArgon2"),
        .target(
            name: "FulfillmentCore",
            dependencies: [.product(name: "Yams", package: "Yams")]
        ),
        .executableTarget(
            name: "Benchmarks",
            dependencies: [
                "FulfillmentCore", "SourceAgentCommands", "SourceAgent", "FlxpointSandbox", "FlxpointAPI", "AgentStore",
                "AgentStoreSQLite", "AgentTesting", .product(name: "Logging", package: "swift-log"),
            ],
            path: "Benchmarks",
            exclude: ["README.md"]
        ),
        .testTarget(
            name: "FulfillmentCoreTests",
            dependencies: ["FulfillmentCore"]
        ),
        .testTarget(
            name: "FlxpointAPITests",
            dependencies: ["AgentTesting", "FlxpointAPI", "FlxpointSandbox", "FulfillmentCore"]
        ),
        .testTarget(
            name: "SourceAgentCommandsTests",
            dependencies: ["AgentTesting", "SourceAgentCommands", "FulfillmentCore"]
        ),
        .testTarget(
            name: "SourceAgentConsoleTests",
            dependencies: [
                "AgentStore", "AgentStoreSQLite", "AgentTesting", "SourceAgentConsole", "SourceAgent", "FlxpointAPI",
                "FlxpointSandbox",
                "FulfillmentCore", .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "MultipartKit", package: "multipart-kit"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(
            name: "SourceAgentTests",
            dependencies: [
                "SourceAgent", "AgentStore", "AgentStoreSQLite", "AgentTesting", "FlxpointAPI", "FlxpointSandbox",
                "FulfillmentCore", .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(
            name: "AgentStoreTests",
            dependencies: [
                "AgentStore", "AgentStorePostgres", "AgentTesting", "FlxpointAPI", "FulfillmentCore", "SourceAgent",
                .product(name: "GRDB", package: "GRDB.swift"),
            ]
        ),
        .testTarget(
            name: "EndToEndTests",
            dependencies: [
                "AgentTesting", "SourceAgentCommands", "SourceAgent", "AgentStore", "AgentStoreSQLite",
                "AgentStorePostgres",
                "FlxpointAPI",
                "FlxpointSandbox", "FulfillmentCore",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            exclude: ["Fixtures"]
        ),
    ],
    swiftLanguageModes: [.v6]
)

// The README's test command is `swift test -c release`: the suite runs the code that ships, built
// as it ships, about twice as fast as a debug build. Its `@testable` imports need this package's
// own modules built for testing in release too (SwiftPM does so only for debug); the measured
// cost to the release binary is within the benchmarks' noise.
for target in package.targets where target.type == .regular {
    target.swiftSettings = (target.swiftSettings ?? []) + [.unsafeFlags(["-enable-testing"], .when(configuration: .release))]
}
