import AgentStore
import AgentTesting
import Foundation
import Testing

/// Every console page as a browser and a checker see it: valid HTML (HTML Tidy, no error or
/// warning), inert hostile content, and the screenshots of the docs' console chapter.
@Suite("the web console: every page valid, and the docs' screenshots")
struct ConsolePagesTests {
    /// Every page, with data from a real run (the sample FRs and a hostile one).
    static let pages = [
        ("overview", "/"), ("holds", "/holds"), ("decisions", "/decisions"), ("fr", "/fr?q=FR-1004"),
        ("answers", "/answers"), ("stock", "/stock"), ("shipments", "/shipments"), ("reports", "/reports"),
        ("rules", "/rules"), ("audit", "/audit"), ("report", "/reports/html"),
    ]

    /// Screenshots go to `SOURCE_AGENT_SCREENSHOTS` (the docs' images folder, when the docs
    /// are brought up to date: `SOURCE_AGENT_SCREENSHOTS=docs/images swift test --filter
    /// ConsolePagesTests`), else to a scratch folder checked and removed.
    @Test("each page is valid HTML and self-contained; screenshots at desktop and phone widths")
    func pagesAndScreenshots() async throws {
        try TestTool.tidy.require()
        // The screenshots need a browser; without one the pages are still checked.
        let browser = try TestTool.chromium.available()
        let scratch = try Scratch.directory("console-shots")
        defer { try? FileManager.default.removeItem(at: scratch) }
        let folder = ProcessInfo.processInfo.environment["SOURCE_AGENT_SCREENSHOTS"] ?? scratch.path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        try await ConsoleTests.withConsole { console, _, _, _ in
            // Something in the audit log and the tracking history.
            let token = try #require(await console.csrf())
            #expect(
                await console.post(
                    "/decide", [("csrf", token), ("fr", "1003"), ("action", "acknowledge"), ("by", "cy")])?
                    .status == 200)
            for (name, path) in Self.pages {
                let page = try #require(await console.get(path))
                #expect(page.status == 200, "\(path)")
                let problems = try await HTMLTidy.problems(page.body)
                #expect(problems.isEmpty, "\(path): \(problems.joined(separator: "\n"))")
                // Self-contained: nothing is loaded from anywhere else.
                #expect(!page.body.contains("src=\"http") && !page.body.contains("href=\"http"), "\(path)")
                #expect(!page.body.contains("<img src=x") && !page.body.contains("<script>alert"), "\(path)")
                // Times read by the agent's clock, in words: nothing imported "in 10 days", no "-547404s ago".
                let wrongTime = page.body.range(of: #"imported in \d|-\d+s ago"#, options: .regularExpression)
                #expect(wrongTime == nil, "\(path)")
                if name == "report" || !browser { continue }
                let file = "\(folder)/console-\(name).png"
                try await Chromium.screenshot(console.base + path, to: file)
                #expect(((try? Data(contentsOf: URL(fileURLWithPath: file)))?.count ?? 0) > 10_000, "\(file)")
            }
            for (name, path) in [("holds", "/holds"), ("overview", "/")] where browser {
                let file = "\(folder)/console-\(name)-phone.png"
                try await Chromium.screenshot(console.base + path, to: file, width: 390, height: 844)
                #expect(((try? Data(contentsOf: URL(fileURLWithPath: file)))?.count ?? 0) > 10_000, "\(file)")
            }
        }
    }
}
