import AgentStore
import AgentTesting
import FlxpointSandbox
import Foundation
import FulfillmentCore
import Testing

@testable import SourceAgent

/// The decision report in every format, from a real agent's log: golden files for the text
/// formats, and the HTML page opened in headless Chromium.
@Suite("Decision report")
struct ReportTests {
    /// Five FRs that exercise the report: acknowledged and shipped, split, cancelled, held, and
    /// one whose recipient is a script tag and whose SKU a spreadsheet would run as a formula.
    static func frs() -> [FulfillmentRequest] {
        var frs = AgentFixture.simpleFRs([("A", 2), ("B", 5), ("C", 1), ("A", 1), ("=HYPERLINK(\"http://x\")", 1)])
        frs[3].shippingAddress?.postal = "10001"  // held: a New York ZIP on a Texas address
        frs[4].shippingAddress?.name = "<script>alert('x')</script>|\"&"
        frs[4].orderNumber = "@SUM(1+1)"
        return frs
    }

    static let stock = AgentFixture.stock(["A": 10, "B": 2, "=HYPERLINK(\"http://x\")": 1])

    /// Runs the agent once over `frs()`, ships FR 1, and writes the report in `format`.
    static func report(_ format: any StreamingReportFormat, in context: AgentFixture.Context) async throws -> String {
        let builder = ReportBuilder(database: context.database, clock: { context.clock.now })
        var text = ""
        _ = try await builder.write(format, since: .distantPast, until: .distantFuture) { text += $0 }
        return text
    }

    static func withLoggedAgent(_ body: @Sendable (AgentFixture.Context) async throws -> Void) async throws {
        try await AgentFixture.withAgent(frs: frs(), stock: stock) { context in
            _ = try await context.agent.cycle.run()
            context.clock.advance(by: 3 * 3600)
            let tracking = "fr,sku,quantity,tracking_number,shipped_at\nFR-70001,A,2,1Z1,2026-11-27T19:00:00Z\n"
            _ = try await context.agent.tracking.importFile(tracking, path: "tracking.csv")
            context.clock.advance(by: 3 * 86_400)
            try await body(context)
        }
    }

    static func golden(_ name: String, _ actual: String) throws {
        let path = "Tests/EndToEndTests/Fixtures/\(name)"
        if ProcessInfo.processInfo.environment["UPDATE_GOLDEN"] != nil {
            try actual.write(toFile: path, atomically: true, encoding: .utf8)
        }
        let expected = try String(contentsOfFile: path, encoding: .utf8)
        #expect(actual == expected, "\(name) differs from its golden file; UPDATE_GOLDEN=1 rewrites it")
    }

    @Test("csv, json and markdown match their golden files; FR text is inert in each")
    func goldenFiles() async throws {
        try await Self.withLoggedAgent { context in
            let csv = try await Self.report(CSVReport(), in: context)
            let json = try await Self.report(JSONReport(), in: context)
            let markdown = try await Self.report(MarkdownReport(), in: context)
            try Self.golden("report.csv", csv)
            try Self.golden("report.json", json)
            try Self.golden("report.md", markdown)
            #expect(csv.contains(#","'=HYPERLINK(""http://x"")","#) && csv.contains(",'@SUM(1+1),"))
            #expect(!markdown.contains("<script>") && markdown.contains("&lt;script&gt;"))
            let object = try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any]
            #expect(object?["version"] as? Int == 1)
            #expect((object?["decisions"] as? [Any])?.count == 5)
        }
    }

    /// The page as headless Chromium leaves it after its script ran.
    static func dumpDOM(_ file: String, hash: String = "") async throws -> String {
        try await Chromium.dumpDOM("file://\(file)\(hash.isEmpty ? "" : "#" + hash)")
    }

    /// The `fr_id` cells of the rows left visible, in order.
    static func visibleIds(_ dom: String) -> [Int] {
        dom.components(separatedBy: "<tr class=\"").dropFirst().compactMap { row in
            guard !row.prefix(while: { $0 != ">" }).contains("hidden") else { return nil }
            guard let start = row.range(of: "<td>")?.upperBound, let end = row.range(of: "</td>")?.lowerBound else {
                return nil
            }
            return Int(row[start..<end])
        }
    }

    @Test("an HTML row written directly is the row the template engine renders, hostile text included")
    func htmlRowMatchesTemplate() {
        let report = HTMLReport()
        for text in ["<script>alert('x')</script>", "a & b \"c\"", "Zoë ✓ <b>", "=1+2", "plain", ""] {
            let row = ReportRow(
                frId: 7, frNumber: text, order: text, decidedAt: Date(timeIntervalSince1970: 1_800_000_000),
                decision: text.isEmpty ? "hold" : text, rule: text, reason: text, note: text, skus: [text, "B"],
                acknowledged: 1, cancelled: 2, answer: text, answerLatency: 1.5, shipTo: text, shipLatency: nil,
                confirmedAt: nil, shipped: false, escalated: true)
            #expect(report.row(row, index: 0) == report.templateRow(row))
        }
    }

    @Test(
        "the html page: charts drawn, table sorted and filtered in Chromium, nothing from an FR runs")
    func htmlInChromium() async throws {
        try TestTool.chromium.require()
        try await Self.withLoggedAgent { context in
            let html = try await Self.report(HTMLReport(), in: context)
            #expect(!html.contains("<script>alert") && html.contains("&lt;script&gt;alert(&#39;x&#39;)"))
            let file = context.directory.appendingPathComponent("report.html").path
            try html.write(toFile: file, atomically: true, encoding: .utf8)

            let plain = try await Self.dumpDOM(file)
            #expect(plain.components(separatedBy: "<script").count == 2)  // only the page's own script
            for chart in ["chart-days", "chart-reasons", "chart-latency"] {
                let svg = try #require(plain.components(separatedBy: "id=\"\(chart)\"").dropFirst().first)
                let body = svg.components(separatedBy: "</svg>")[0]
                #expect(body.contains("class=\"bar\""), "\(chart) has no bars")
            }
            #expect(Self.visibleIds(plain) == [70_001, 70_002, 70_003, 70_004, 70_005])

            let sorted = try await Self.dumpDOM(file, hash: "sort=fr_id&dir=desc")
            #expect(Self.visibleIds(sorted) == [70_005, 70_004, 70_003, 70_002, 70_001])
            #expect(sorted.contains("aria-sort=\"descending\""))
            let filtered = try await Self.dumpDOM(file, hash: "filter=cancel&sort=fr_id")
            #expect(Self.visibleIds(filtered) == [70_003])
            #expect(filtered.contains("<span id=\"shown\">1</span>"))
        }
    }
}
