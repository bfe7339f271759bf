import AgentStore
import Foundation
import FulfillmentCore

/// Builds a decision report for a window from the log, in two passes over the decisions
/// (the summary first, then the rows), each paged by id so no pass holds all rows.
public struct ReportBuilder: Sendable {
    let database: AgentDatabase
    let clock: @Sendable () -> Date

    public init(database: AgentDatabase, clock: @escaping @Sendable () -> Date = { Date() }) {
        self.database = database
        self.clock = clock
    }

    public func summary(since: Date, until: Date) async throws -> ReportSummary {
        var builder = summaryBuilder(since: since, until: until)
        try await forEachRow(since: since, until: until) { row in builder.add(row) }
        return try await finish(builder, since: since, until: until)
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
        return summary
    }

    /// Calls `body` with each row in the window, oldest first.
    public func forEachRow(since: Date, until: Date, _ body: (ReportRow) throws -> Void) async throws {
        var after: Int64 = 0
        while true {
            let batch = try await database.reportRows(since: since, until: until, afterId: after)
            guard let last = batch.last else { return }
            after = last.id
            for entry in batch { try body(entry.row) }
        }
    }

    /// Writes the whole report in `format` to `write`, calling `progress` with rows written and
    /// the total (0 while a one-pass format has not counted it yet).
    public func write(
        _ format: any StreamingReportFormat, since: Date, until: Date, to write: (String) throws -> Void,
        progress: (Int, Int) -> Void = { _, _ in }
    ) async throws -> ReportSummary {
        var index = 0
        guard format.summaryFirst else {
            // One pass: the summary is counted from the rows as they are written.
            var builder = summaryBuilder(since: since, until: until)
            try write(format.begin(builder.finish()))
            try await forEachRow(since: since, until: until) { row in
                builder.add(row)
                try write(format.row(row, index: index))
                index += 1
                if index % 1000 == 0 { progress(index, 0) }
            }
            let summary = try await finish(builder, since: since, until: until)
            try write(format.end(summary))
            progress(index, summary.decisions)
            return summary
        }
        let summary = try await summary(since: since, until: until)
        try write(format.begin(summary))
        try await forEachRow(since: since, until: until) { row in
            try write(format.row(row, index: index))
            index += 1
            if index % 1000 == 0 { progress(index, summary.decisions) }
        }
        try write(format.end(summary))
        progress(index, summary.decisions)
        return summary
    }
}
