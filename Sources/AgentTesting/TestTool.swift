import Foundation

/// A program some tests need besides Swift: Chromium (what a browser makes of a page) and
/// HTML Tidy (is a page valid HTML). On a machine without one, `available()` is false and the
/// tests that need it are skipped with `skipReason`, one line each; with
/// `SOURCE_AGENT_REQUIRE_TOOLS=1` (CI sets it) a missing tool fails them instead.
public struct TestTool: Sendable {
    /// The program, as the skip line names it.
    public let name: String
    /// The Debian package that installs it.
    public let package: String
    /// Where it may be installed.
    let candidates: [String]

    public static let chromium = TestTool(
        name: "Chromium", package: "chromium", candidates: ["/usr/bin/chromium", "/usr/bin/chromium-browser"])
    public static let tidy = TestTool(
        name: "HTML Tidy", package: "tidy", candidates: ["/usr/bin/tidy", "/usr/local/bin/tidy"])

    /// The executable, when installed.
    public var path: String? { candidates.first { FileManager.default.isExecutableFile(atPath: $0) } }

    /// Whether the tool is here; throws when it is missing and the environment requires it.
    public func available(_ environment: [String: String] = ProcessInfo.processInfo.environment) throws -> Bool {
        if path != nil { return true }
        if environment["SOURCE_AGENT_REQUIRE_TOOLS"] == "1" {
            throw Missing(description: "\(name) is required (SOURCE_AGENT_REQUIRE_TOOLS=1) but not installed")
        }
        return false
    }

    /// Why a test that needs the tool is skipped here.
    public var skipReason: String {
        "\(name) is not installed (apt-get install \(package)); set SOURCE_AGENT_REQUIRE_TOOLS=1 to fail instead"
    }

    /// A tool the environment requires is not installed.
    public struct Missing: Error, CustomStringConvertible {
        public let description: String
    }
}
