// Report: the decision report from the store, and its HTML.

import AgentStore
import Foundation
import FulfillmentCore

/// Builds a decision report for a window from the log, in one pass over the decisions, paged
/// by id so no page holds all rows.
public struct ReportBuilder: Sendable {
    let database: any SourceStore
    let clock: @Sendable () -> Date
    /// The calendar that says whether a promise from stock on its way still lands in time.
    let calendar: WarehouseCalendar?

    public init(
        database: any SourceStore, clock: @escaping @Sendable () -> Date = { Date() },
        calendar: WarehouseCalendar? = nil
    ) {
        self.database = database
        self.clock = clock
        self.calendar = calendar
    }

    private func summaryBuilder(since: Date, until: Date) -> ReportSummaryBuilder {
        ReportSummaryBuilder(
            since: since == .distantPast ? nil : since, until: until == .distantFuture ? nil : until,
            asOf: min(until, clock()))
    }

    private func finish(_ builder: ReportSummaryBuilder, since: Date, until: Date) async throws -> ReportSummary {
        var summary = builder.finish()
        let counts = try await database.reportCounts(since: since, until: until)
        summary.frsReceived = counts.frsReceived
        summary.guardTrips = counts.guardTrips
        let status = try await database.status()
        summary.holdsOpen = status.openHolds
        if status.openHolds > 0, let oldest = status.lastCycle?.oldestHoldSince {
            summary.oldestHoldAgeSeconds = clock().timeIntervalSince(oldest)
        }
        let promises = try await database.inboundPromises()
        if !promises.isEmpty {
            var slipped: Int?
            if let calendar {
                let found = InboundWatch.slips(
                    promises, frs: InboundWatch.frs(of: promises), ledger: try await database.loadLedger(),
                    calendar: calendar, now: clock())
                slipped = Set(found.map(\.frId)).count
            }
            summary.onItsWay = ReportSummary.OnItsWay(
                frs: Set(promises.map(\.frId)).count, units: promises.reduce(0) { $0 + $1.reservation.quantity },
                slipped: slipped)
        }
        return summary
    }

    /// Calls `body` with each row in the window, oldest first.
    public func forEachRow(since: Date, until: Date, _ body: (ReportRow) throws -> Void) async throws {
        var after: Int64 = 0
        while true {
            let batch = try await database.reportRows(since: since, until: until, afterId: after, limit: 1000)
            guard let last = batch.last else { return }
            after = last.id
            for entry in batch { try body(entry.row) }
        }
    }

    /// Writes the whole report in `format` to `write`, calling `progress` with rows written and
    /// the total (0 while it is not counted yet).
    ///
    /// One pass over the log: the summary is counted from the rows as they go. A format that
    /// shows the summary first (HTML, JSON, Markdown) has its rows spooled to a temporary file
    /// meanwhile and copied out after the summary, so memory stays flat and no row is read or
    /// parsed twice.
    public func write(
        _ format: any StreamingReportFormat, since: Date, until: Date, to write: (String) throws -> Void,
        progress: (Int, Int) -> Void = { _, _ in }
    ) async throws -> ReportSummary {
        var index = 0
        var builder = summaryBuilder(since: since, until: until)
        let spool = format.summaryFirst ? try ReportSpool() : nil
        if spool == nil { try write(format.begin(builder.finish())) }
        try await forEachRow(since: since, until: until) { row in
            builder.add(row)
            let text = format.row(row, index: index)
            if let spool { try spool.append(text) } else { try write(text) }
            index += 1
            if index % 1000 == 0 { progress(index, 0) }
        }
        let summary = try await finish(builder, since: since, until: until)
        if let spool {
            try write(format.begin(summary))
            try spool.copy(to: write)
        }
        try write(format.end(summary))
        progress(index, summary.decisions)
        return summary
    }
}

/// Rows written ahead of the summary that must precede them: an unlinked temporary file,
/// read back in pieces cut at line ends (a line feed never falls inside a UTF-8 character).
final class ReportSpool {
    private let handle: FileHandle
    private var buffer: [UInt8] = []

    init() throws {
        var template = Array(
            FileManager.default.temporaryDirectory.appendingPathComponent("source-agent-report-XXXXXX").path.utf8CString
        )
        let fd = mkstemp(&template)
        guard fd >= 0 else { throw CocoaError(.fileWriteUnknown) }
        unlink(String(cString: template))
        handle = FileHandle(fileDescriptor: fd, closeOnDealloc: true)
    }

    func append(_ text: String) throws {
        buffer.append(contentsOf: text.utf8)
        if buffer.count >= 1 << 20 { try flush() }
    }

    private func flush() throws {
        try handle.write(contentsOf: buffer)
        buffer.removeAll(keepingCapacity: true)
    }

    func copy(to write: (String) throws -> Void) throws {
        try flush()
        try handle.seek(toOffset: 0)
        var carry: [UInt8] = []
        while let chunk = try handle.read(upToCount: 1 << 20), !chunk.isEmpty {
            carry.append(contentsOf: chunk)
            guard let end = carry.lastIndex(of: 0x0A) else { continue }
            try write(String(decoding: carry[...end], as: UTF8.self))
            carry.removeSubrange(...end)
        }
        if !carry.isEmpty { try write(String(decoding: carry, as: UTF8.self)) }
    }
}
