// swift-tools-version:5.3
import PackageDescription

// libFuzzer targets for the parsers that read what others wrote, built and run by
// Scripts/fuzz with `-sanitize=fuzzer,address -parse-as-library`. A package of its own
// because libFuzzer supplies `main`; tools version 5.3 because later ones rename an
// executable's entry point, which a library-parsed fuzz target does not have.
let package = Package(
    name: "source-agent-fuzz",
    dependencies: [.package(name: "source-agent", path: "..")],
    targets: [
        .target(
            name: "FuzzSupport",
            dependencies: [.product(name: "FulfillmentCore", package: "source-agent")]
        ),
        .target(name: "FuzzExpression", dependencies: ["FuzzSupport"]),
        .target(name: "FuzzFRDecoder", dependencies: ["FuzzSupport"]),
        .target(name: "FuzzCSV", dependencies: ["FuzzSupport"]),
        .target(name: "FuzzRuleFile", dependencies: ["FuzzSupport"]),
        .target(name: "FuzzConfigFile", dependencies: ["FuzzSupport"]),
        .target(
            name: "FuzzSettings",
            dependencies: ["FuzzSupport", .product(name: "SourceAgentCommands", package: "source-agent")]),
        .target(
            name: "FuzzUsersFile",
            dependencies: ["FuzzSupport", .product(name: "SourceAgentCommands", package: "source-agent")]),
        .target(
            name: "FuzzForms", dependencies: ["FuzzSupport", .product(name: "SourceAgentCommands", package: "source-agent")]
        ),
        .target(
            name: "FuzzPostgresURL",
            dependencies: ["FuzzSupport", .product(name: "SourceAgentCommands", package: "source-agent")]),
    ]
)
