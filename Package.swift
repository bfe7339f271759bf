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
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
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
            name: "SourceAgentCommandsTests",
            dependencies: ["SourceAgentCommands", "FulfillmentCore"]
        ),
    ],
    swiftLanguageModes: [.v6]
)
