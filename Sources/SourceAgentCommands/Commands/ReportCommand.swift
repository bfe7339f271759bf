import AgentStore
import ArgumentParser
import Foundation
import FulfillmentCore
import SourceAgent

/// `source-agent report`: what the agent did in a window, as csv, json, markdown or html.
struct ReportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Export the decision report for a window: summary and one row per decision.",
        discussion: """
            csv has one row per decision (cells a spreadsheet would run as formulas start with '); json is \
            {"version": 1, "summary": …, "decisions": […]}; markdown has a summary table and a decisions table; \
            html is one self-contained page with charts and a table to sort and filter.
            """)

    @OptionGroup var database: DatabaseOption
    @OptionGroup var source: SourceOption
    /// Only its calendar is borrowed: whether promises from stock on its way still land in time.
    @OptionGroup var rules: RulesOption

    @Option(help: "From this date (UTC midnight), date-time, or span back from now (7d, 36h).")
    var since: String?

    @Option(help: "Up to (not including) this date, date-time, or span back from now.")
    var until: String?

    @Option(help: "csv, json, markdown or html.")
    var format: Format = .csv

    @Option(help: ArgumentHelp("Write to this file instead of standard output.", valueName: "file"))
    var output: String?

    /// How the report is written.
    enum Format: String, ExpressibleByArgument, CaseIterable { case csv, json, markdown, html }

    func run() async throws {
        let window = try TimeWindow.options(
            since: since, until: until, now: AgentClock.now(), zone: TimeZone(identifier: "UTC")!)
        let db = try await source.scope(database.existing(forReading: true))
        let formatter: any StreamingReportFormat
        switch format {
        case .csv: formatter = CSVReport()
        case .json: formatter = JSONReport()
        case .markdown: formatter = MarkdownReport()
        case .html: formatter = HTMLReport()
        }
        let sink = try ReportSink(path: output)
        let showProgress = isatty(STDERR_FILENO) == 1
        let builder = ReportBuilder(database: db, clock: AgentClock.now, calendar: rules.ruleSetIfReadable?.calendar)
        let summary = try await builder.write(
            formatter, since: window.since, until: window.until, to: sink.write
        ) { done, total in
            guard showProgress else { return }
            let shown = total > 0 ? "\r\(done) of \(total) decisions" : "\r\(done) decisions"
            FileHandle.standardError.write(Data(shown.utf8))
        }
        try sink.close()
        if showProgress { FileHandle.standardError.write(Data("\n".utf8)) }
        if let output { Terminal.err("wrote \(summary.decisions) decisions to \(output)") }
    }
}

/// Buffered output to a file or standard output: rows go out as they are made.
final class ReportSink {
    private let handle: FileHandle
    private let owned: Bool
    private var buffer = Data()

    init(path: String?) throws {
        if let path {
            // A report holds names and addresses: readable by this user alone.
            do {
                handle = try PrivateFile.create(path)
            } catch {
                Terminal.err("error: cannot write '\(path)'")
                throw Exit.failure
            }
            owned = true
        } else {
            handle = .standardOutput
            owned = false
        }
    }

    func write(_ text: String) throws {
        buffer.append(contentsOf: text.utf8)
        if buffer.count >= 1 << 16 { try flush() }
    }

    func flush() throws {
        do {
            try handle.write(contentsOf: buffer)
        } catch  where !owned {
            Terminal.readerGone()
        }
        buffer.removeAll(keepingCapacity: true)
    }

    func close() throws {
        try flush()
        if owned { try handle.close() }
    }
}
