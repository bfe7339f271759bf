import Foundation

/// A report format that can be written a row at a time: `begin`, each row, then `end`.
public protocol StreamingReportFormat: Sendable {
    /// Whether `begin` shows the summary, so it must be known before the first row.
    var summaryFirst: Bool { get }
    func begin(_ summary: ReportSummary) -> String
    func row(_ row: ReportRow, index: Int) -> String
    func end(_ summary: ReportSummary) -> String
}

extension StreamingReportFormat {
    /// A summary leads the table.
    public var summaryFirst: Bool { true }
}

/// The columns every tabular format shows, in order.
public enum ReportColumns {
    /// The CSV columns, in order.
    public static let headers = [
        "fr_id", "fr_number", "order", "decided_at", "decision", "rule", "reason", "note", "skus", "acknowledged",
        "cancelled", "answer", "answer_latency_s", "ship_to", "decided_by",
    ]

    /// A row's CSV cells, each neutralised against spreadsheet formulas.
    public static func values(_ row: ReportRow) -> [String] {
        [
            String(row.frId), row.frNumber ?? "", row.order ?? "", Timestamp.utcString(row.decidedAt), row.decision,
            row.rule, row.reason ?? "", row.note ?? "", row.skus.joined(separator: " "), String(row.acknowledged),
            String(row.cancelled), row.answer ?? "", row.answerLatency.map { String(Int($0.rounded())) } ?? "",
            row.shipTo ?? "", row.decidedBy ?? "",
        ]
    }
}

/// RFC 4180 CSV, one row per decision. A cell that a spreadsheet would run as a formula
/// (starting with `=`, `+`, `-`, `@`, a tab or a carriage return) gets a leading `'`.
public struct CSVReport: StreamingReportFormat {
    /// A `CSVReport` from its parts.
    public init() {}

    /// Rows only: the summary is counted while they are written, in one pass over the log.
    public var summaryFirst: Bool { false }

    /// The header row.
    public func begin(_ summary: ReportSummary) -> String { line(ReportColumns.headers) }
    /// One CSV line.
    public func row(_ row: ReportRow, index: Int) -> String { line(ReportColumns.values(row)) }
    /// Nothing: CSV has no trailer.
    public func end(_ summary: ReportSummary) -> String { "" }

    func line(_ cells: [String]) -> String { cells.map(CSV.cell).joined(separator: ",") + "\r\n" }
}

/// `{"version": 1, "summary": …, "decisions": […]}`, written a row at a time.
public struct JSONReport: StreamingReportFormat {
    /// A `JSONReport` from its parts.
    public init() {}

    static let encoder = StableJSON.encoder(snakeCase: true)

    static func text<T: Encodable>(_ value: T) -> String {
        String(decoding: (try? encoder.encode(value)) ?? Data("null".utf8), as: UTF8.self)
    }

    /// The summary and the start of the `decisions` array.
    public func begin(_ summary: ReportSummary) -> String {
        "{\"version\":1,\"summary\":\(Self.text(summary)),\"decisions\":[\n"
    }

    /// One decision as a JSON object.
    public func row(_ row: ReportRow, index: Int) -> String { (index == 0 ? "" : ",\n") + Self.text(row) }
    /// The end of the array and of the document.
    public func end(_ summary: ReportSummary) -> String { "\n]}\n" }
}

/// Markdown tables a person pastes into a ticket. Text from FRs is made inert: `|` and line
/// breaks cannot break the table, and `<`, `>`, `&` cannot become HTML.
public struct MarkdownReport: StreamingReportFormat {
    /// A `MarkdownReport` from its parts.
    public init() {}

    static let shown = [
        ("FR", 1), ("order", 2), ("decided", 3), ("decision", 4), ("rule", 5), ("reason", 6), ("SKUs", 8),
        ("ack", 9), ("cancel", 10), ("answer", 11), ("latency s", 12), ("ship to", 13),
        ("by", 14),
    ]

    /// The summary and the table's header.
    public func begin(_ summary: ReportSummary) -> String {
        var out = "# Decision report\n\n"
        let since = summary.since.map(Timestamp.utcString) ?? "the start"
        let until = summary.until.map(Timestamp.utcString) ?? "now"
        out += "From \(since) to \(until).\n\n## Summary\n\n| | |\n|---|---|\n"
        for (label, value) in ReportFacts.lines(summary) { out += "| \(Self.cell(label)) | \(Self.cell(value)) |\n" }
        out += "\n## Decisions\n\n"
        out += "| " + Self.shown.map(\.0).joined(separator: " | ") + " |\n"
        out += "|" + Self.shown.map { _ in "---" }.joined(separator: "|") + "|\n"
        return out
    }

    /// One table row, escaped for Markdown.
    public func row(_ row: ReportRow, index: Int) -> String {
        let values = ReportColumns.values(row)
        return "| " + Self.shown.map { Self.cell(values[$0.1]) }.joined(separator: " | ") + " |\n"
    }

    /// Nothing: the table ends with its last row.
    public func end(_ summary: ReportSummary) -> String { "" }

    static func cell(_ text: String) -> String {
        var out = ""
        for character in text {
            switch character {
            case "|": out += "\\|"
            case "\n", "\r": out += " "
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "&": out += "&amp;"
            case "`", "*", "_", "[", "]": out += "\\\(character)"
            default: out.append(character)
            }
        }
        return out
    }
}

/// The summary as label–value lines, shared by the Markdown and HTML reports.
public enum ReportFacts {
    /// The summary's labels and values, in the order shown.
    public static func lines(_ s: ReportSummary) -> [(String, String)] {
        func seconds(_ value: Double?) -> String {
            guard let value else { return "–" }
            if value < 120 { return "\(Int(value.rounded())) s" }
            if value < 7200 { return "\(Int((value / 60).rounded())) min" }
            return String(format: "%.1f h", value / 3600)
        }
        func latency(_ stats: LatencyStats?) -> String {
            guard let stats else { return "–" }
            return "p50 \(seconds(stats.p50)) · p95 \(seconds(stats.p95)) · max \(seconds(stats.max)) (\(stats.count))"
        }
        func counts(_ values: [String: Int]) -> String {
            values.isEmpty
                ? "–"
                : values.sorted { ($1.value, $0.key) < ($0.value, $1.key) }.map { "\($0.key) \($0.value)" }.joined(
                    separator: ", ")
        }
        var lines = [
            ("FRs received", String(s.frsReceived)),
            ("decisions", String(s.decisions)),
            ("by decision", counts(s.byKind)),
            ("by rule", counts(s.byRule)),
            ("by reason", counts(s.byReason)),
            ("cancel share", String(format: "%.1f%%", s.cancelShare * 100)),
            ("answer latency (FR sent → answer confirmed)", latency(s.answerLatency)),
            ("ship latency (acknowledged → shipped)", latency(s.shipLatency)),
            ("acknowledged, not shipped after 2 days", String(s.acknowledgedNotShipped2d)),
            ("holds still open", "\(s.holdsOpen); oldest \(seconds(s.oldestHoldAgeSeconds))"),
            ("escalations", String(s.escalations)),
            ("answers failed / withdrawn", "\(s.answersFailed) / \(s.answersWithdrawn)"),
            ("guard trips", String(s.guardTrips)),
        ]
        if let way = s.onItsWay {
            lines.append(
                (
                    "promised against stock on its way",
                    "\(way.frs) FR\(way.frs == 1 ? "" : "s"), \(way.units) units"
                        + (way.slipped.map { "; \($0) no longer in time for the ship-by" } ?? "")
                ))
        }
        return lines
    }
}
