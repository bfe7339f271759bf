import Foundation
import FulfillmentCore

/// The decision log read back in time order, for replay and reports.
public protocol HistoryStore: Sendable {
    /// Up to `limit` rule decisions taken in [since, until) with an id above `afterId`, oldest
    /// first. Callers page by the last id, so any number of decisions streams in constant
    /// memory. Decisions a person took are left out: no rule file decides them.
    func loggedDecisions(since: Date, until: Date, afterId: Int64, limit: Int) async throws -> [LoggedDecision]
    /// Up to `limit` decisions in [since, until) with an id above `afterId`, as report rows,
    /// oldest first; callers page by the last id so 100,000 rows stream in constant memory.
    func reportRows(since: Date, until: Date, afterId: Int64, limit: Int) async throws -> [(id: Int64, row: ReportRow)]
    /// Up to `limit` decisions matching `filter` with an id below `beforeId` (nil: the newest),
    /// newest first, as report rows: the console's decision list.
    func decisionPage(_ filter: DecisionFilter, beforeId: Int64?, limit: Int) async throws -> [(
        id: Int64, row: ReportRow
    )]
    /// FRs first seen and cycles whose guard tripped in [since, until).
    func reportCounts(since: Date, until: Date) async throws -> (frsReceived: Int, guardTrips: Int)
}
