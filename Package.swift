// swift-tools-version: 6.0
import PackageDescription

let package = Package(
    name: "source-agent",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "source-agent", targets: ["source-agent"])
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.0.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.0"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.0"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.0.0"),
    ],
    targets: [
        .executableTarget(
            name: "source-agent",
            dependencies: ["SourceAgentCommands"]
        ),
        .target(
            name: "SourceAgentCommands",
            dependencies: [
                "FulfillmentCore",
                "FlxpointAPI",
                "FlxpointSandbox",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
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
            ]
        ),
        .target(
            name: "FulfillmentCore",
            dependencies: [.product(name: "Yams", package: "Yams")]
        ),
        .executableTarget(
            name: "Benchmarks",
            dependencies: ["FulfillmentCore"],
            path: "Benchmarks",
            exclude: ["README.md"]
        ),
        .testTarget(
            name: "FulfillmentCoreTests",
            dependencies: ["FulfillmentCore"]
        ),
        .testTarget(
            name: "FlxpointAPITests",
            dependencies: ["FlxpointAPI", "FlxpointSandbox", "FulfillmentCore"]
        ),
        .testTarget(
            name: "SourceAgentCommandsTests",
            dependencies: ["SourceAgentCommands", "FulfillmentCore"]
        ),
    ],
    swiftLanguageModes: [.v6]
)
