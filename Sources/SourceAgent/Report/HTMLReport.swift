import Foundation
import FulfillmentCore
import Mustache

/// One self-contained HTML file: the summary, three inline SVG charts, and a table a person
/// can sort (click a heading) and filter (type in the box). Built with Mustache templates,
/// whose `{{value}}` escapes `& < > " '`, so nothing from an FR can become markup; no
/// value is ever inserted raw. The address bar can preset the table:
/// `report.html#sort=decided_at&dir=desc&filter=cancel`.
public struct HTMLReport: StreamingReportFormat {
    /// The CSP source allowing the report's one inline script (its sort and filter), and no
    /// other: the web console serves the report under it.
    public static let scriptSource: String = {
        let foot = HTMLReportTemplates.foot
        guard let open = foot.range(of: "<script>"), let close = foot.range(of: "</script>") else { return "'none'" }
        let script = foot[open.upperBound..<close.lowerBound]
        return "'sha256-\(Data(SHA256.digest(Array(script.utf8))).base64EncodedString())'"
    }()

    let head: MustacheTemplate
    let rowTemplate: MustacheTemplate
    let foot: MustacheTemplate

    public init() {
        // The templates are constants of this file: failing to parse them is a programming error.
        head = try! MustacheTemplate(string: HTMLReportTemplates.head)
        rowTemplate = try! MustacheTemplate(string: HTMLReportTemplates.row)
        foot = try! MustacheTemplate(string: HTMLReportTemplates.foot)
    }

    public func begin(_ summary: ReportSummary) -> String {
        let columns: [[String: Any]] = ReportColumns.headers.map { key in
            ["key": key, "type": Self.numeric.contains(key) ? "number" : "text"]
        }
        let context: [String: Any] = [
            "since": summary.since.map(Timestamp.utcString) ?? "the start",
            "until": summary.until.map(Timestamp.utcString) ?? "now",
            "facts": ReportFacts.lines(summary).map { ["label": $0.0, "value": $0.1] },
            "days": ReportCharts.days(summary),
            "reasons": ReportCharts.reasons(summary),
            "latency": ReportCharts.latency(summary),
            "legend": ReportCharts.legend,
            "columns": columns,
            "decisions": summary.decisions,
        ]
        return head.render(context)
    }

    /// One table row, as `HTMLReportTemplates.row` renders it (a test compares the two).
    public func row(_ row: ReportRow, index: Int) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(512)
        out.append(contentsOf: "<tr class=\"".utf8)
        HTMLEscape.append(row.decision, to: &out)
        out.append(contentsOf: "\">".utf8)
        for value in ReportColumns.values(row) {
            out.append(contentsOf: "<td>".utf8)
            HTMLEscape.append(value, to: &out)
            out.append(contentsOf: "</td>".utf8)
        }
        out.append(contentsOf: "</tr>\n".utf8)
        return String(decoding: out, as: UTF8.self)
    }

    /// The row through the template engine, for the test that holds `row` to it.
    func templateRow(_ row: ReportRow) -> String {
        rowTemplate.render(["cells": ReportColumns.values(row).map { ["value": $0] }, "decision": row.decision])
    }

    public func end(_ summary: ReportSummary) -> String { foot.render([String: Any]()) }

    static let numeric: Set<String> = ["fr_id", "acknowledged", "cancelled", "answer_latency_s"]
}

/// Bars for the report's charts, laid out in SVG user units.
enum ReportCharts {
    static let colors = ["acknowledge": "#2e7d32", "split": "#f9a825", "cancel": "#c62828", "hold": "#6a1b9a"]
    static let kinds = ["acknowledge", "split", "cancel", "hold"]
    static var legend: [[String: Any]] {
        kinds.enumerated().map { ["kind": $1, "color": colors[$1] ?? "#999", "x": 10 + $0 * 130] }
    }

    /// Decisions per day, stacked by kind: 560 × 200.
    static func days(_ summary: ReportSummary) -> [String: Any] {
        let days = summary.perDay.keys.sorted().suffix(60)
        let top = max(1, days.map { summary.perDay[$0, default: [:]].values.reduce(0, +) }.max() ?? 1)
        let width = min(60, 540.0 / Double(max(1, days.count)))
        var bars: [[String: Any]] = []
        for (i, day) in days.enumerated() {
            var y = 180.0
            for kind in kinds {
                let count = summary.perDay[day]?[kind] ?? 0
                guard count > 0 else { continue }
                let height = 160.0 * Double(count) / Double(top)
                y -= height
                bars.append([
                    "x": fmt(10 + Double(i) * width), "y": fmt(y), "w": fmt(max(1, width - 2)), "h": fmt(height),
                    "color": colors[kind] ?? "#999", "title": "\(day): \(count) \(kind)",
                ])
            }
        }
        return ["bars": bars, "first": days.first ?? "", "last": days.last ?? "", "top": top]
    }

    /// The eight most frequent reasons: 560 × (28 per reason).
    static func reasons(_ summary: ReportSummary) -> [String: Any] {
        let top = summary.byReason.sorted { ($1.value, $0.key) < ($0.value, $1.key) }.prefix(8)
        let most = max(1, top.first?.value ?? 1)
        let bars: [[String: Any]] = top.enumerated().map { i, entry in
            [
                "y": 6 + i * 28, "ty": 20 + i * 28, "w": fmt(330.0 * Double(entry.value) / Double(most)),
                "label": entry.key, "count": entry.value,
            ]
        }
        return ["bars": bars, "height": 12 + top.count * 28]
    }

    /// Answer latency histogram: 560 × 200.
    static func latency(_ summary: ReportSummary) -> [String: Any] {
        let labels = LatencyBuckets.labels
        let most = max(1, labels.map { summary.latencyBuckets[$0] ?? 0 }.max() ?? 1)
        let bars: [[String: Any]] = labels.enumerated().map { i, label in
            let count = summary.latencyBuckets[label] ?? 0
            let height = 150.0 * Double(count) / Double(most)
            return [
                "x": 10 + i * 78, "y": fmt(170 - height), "h": fmt(height), "label": label, "count": count,
                "lx": 10 + i * 78 + 35,
            ]
        }
        return ["bars": bars]
    }

    static func fmt(_ value: Double) -> String { String(format: "%.1f", value) }
}
