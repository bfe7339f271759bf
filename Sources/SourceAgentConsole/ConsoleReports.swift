import Foundation
import FulfillmentCore
import HTTPTypes
import Hummingbird
import SourceAgent

/// The decision report inside the console: the same content as `report`, for a window given
/// the way the command takes it (`7d`, a date, a date-time), as a page or a CSV or JSON download.
struct ConsoleReports: Sendable {
    let view: ConsoleView

    /// The window a request names; `since` defaults to the last seven days.
    static func window(_ query: [String: String], now: Date) throws -> TimeWindow {
        func text(_ key: String) -> String? {
            query[key].map { $0.trimmingCharacters(in: .whitespaces) }.flatMap { $0.isEmpty ? nil : $0 }
        }
        return try TimeWindow.parse(
            since: text("since") ?? "7d", until: text("until"), now: now, zone: TimeZone(identifier: "UTC")!)
    }

    /// The reports page: the window asked for, and links to the report in each format.
    struct Page: Sendable {
        var since: String
        var until: String
        var from: String?
        var to = ""
        var links: [Link] = []
        var problem: String?

        /// One format's link.
        struct Link: Sendable {
            var format: String
            var href: String
        }
    }

    /// The page with the window's form and links to the report in each format.
    func page(query: [String: String], person: ConsoleAccess.Person, source: SourceRuntime) -> Shown {
        let since = query["since"].flatMap { $0.isEmpty ? nil : $0 } ?? "7d"
        let until = query["until"] ?? ""
        var page = Page(since: since, until: until)
        do {
            let window = try Self.window(query, now: view.clock())
            page.from = Timestamp.utcString(window.since)
            page.to = window.until == .distantFuture ? "now" : Timestamp.utcString(window.until)
            let link =
                "source=\(ConsoleView.queryEscape(source.name))&since=\(ConsoleView.queryEscape(since))"
                + "&until=\(ConsoleView.queryEscape(until))"
            page.links = ["html", "csv", "json"].map { Page.Link(format: $0, href: "/reports/\($0)?\(link)") }
        } catch {
            page.problem = "\(error)"
        }
        let title = view.sources.count > 1 ? "Reports: \(source.name)" : "Reports"
        return Shown(.reports, view.frame(title: title, person: person, source: source), page)
    }

    /// The report in `format` (`html`, `csv` or `json`) as a response, or nil for another format.
    func download(_ format: String, query: [String: String], source: SourceRuntime) async throws -> Response? {
        let formatter: any StreamingReportFormat
        let type: String
        switch format {
        case "html": (formatter, type) = (HTMLReport(), "text/html; charset=utf-8")
        case "csv": (formatter, type) = (CSVReport(), "text/csv; charset=utf-8")
        case "json": (formatter, type) = (JSONReport(), "application/json")
        default: return nil
        }
        let window: TimeWindow
        do {
            window = try Self.window(query, now: view.clock())
        } catch {
            var headers = ConsoleResponses.securityHeaders
            headers[.contentType] = "text/plain; charset=utf-8"
            return Response(
                status: .badRequest, headers: headers, body: .init(byteBuffer: ByteBuffer(string: "\(error)\n")))
        }
        var text = ""
        let calendar = await source.rules.current.calendar
        _ = try await ReportBuilder(database: source.database, clock: view.clock, calendar: calendar).write(
            formatter, since: window.since, until: window.until
        ) { text += $0 }
        var headers = ConsoleResponses.securityHeaders
        headers[.contentType] = type
        if format == "html" {
            // The report's own sort-and-filter script, allowed by its hash; nothing else runs.
            headers[.contentSecurityPolicy] =
                "default-src 'none'; style-src 'unsafe-inline'; img-src data:; script-src \(HTMLReport.scriptSource); "
                + "form-action 'none'; frame-ancestors 'none'; base-uri 'none'"
        } else {
            let day = String(Timestamp.utcString(window.since).prefix(10))
            headers[.contentDisposition] = "attachment; filename=\"decisions-\(source.name)-from-\(day).\(format)\""
        }
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: text)))
    }
}
