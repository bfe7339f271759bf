import AgentStore
import Foundation
import FulfillmentCore
import GRDB

extension AgentDatabase {
    /// Up to `limit` decisions taken in [since, until) with an id above `afterId`, oldest first.
    /// Callers page by the last id, so any number of decisions streams in constant memory.
    /// Only the columns replay needs are read, and their JSON is parsed without `Codable`.
    /// The unary `+` keeps SQLite walking the table in id order from `afterId`: with an index
    /// on the source or the time it would read every decision and sort them, for every page.
    /// Decisions a person took are left out: no rule file decides them.
    public func loggedDecisions(since: Date, until: Date, afterId: Int64, limit: Int) async throws
        -> [LoggedDecision]
    {
        try await writer.read { [source] db in
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT d.id, d.fr_id, d.decision, d.rule, d.reason, d.note, d.override, d.lines_json, d.facts_json,
                           d.decided_now, d.held_since, d.decided_at, f.number AS fr_number,
                           coalesce(d.fr_json, f.raw_json) AS fr_text
                    FROM decision d JOIN fr f ON f.source_name = d.source_name AND f.id = d.fr_id
                    WHERE +d.source_name = ? AND d.id > ? AND +d.decided_at >= ? AND +d.decided_at < ? AND d.rule != ?
                    ORDER BY d.id LIMIT ?
                    """,
                arguments: [
                    source, try Self.pageStart(db, afterId: afterId, since: since), since, until,
                    ManualDecision.rule, limit,
                ])
            return try rows.map(Self.loggedDecision)
        }
    }

    /// One row of `loggedDecisions`' query, read by column position: 100,000 rows read by
    /// name spend a measurable share of replay lowercasing and hashing column names. A value
    /// that does not convert is an error, never a default.
    private static func loggedDecision(_ row: Row) throws -> LoggedDecision {
        try LoggedDecision(
            id: row.decode(Int64.self, atIndex: 0), frId: row.decode(Int.self, atIndex: 1),
            frNumber: row.decode(String?.self, atIndex: 12), decidedAt: row.decode(Date.self, atIndex: 11),
            decision: row.decode(DecisionKind?.self, atIndex: 2), rule: row.decode(String.self, atIndex: 3),
            reason: row.decode(DecisionReason?.self, atIndex: 4), note: row.decode(String?.self, atIndex: 5),
            linesJSON: row.decode(String?.self, atIndex: 7), factsJSON: row.decode(String?.self, atIndex: 8),
            now: row.decode(Date.self, atIndex: 9), heldSince: row.decode(Date?.self, atIndex: 10),
            frJSON: row.decode(String.self, atIndex: 13), override: row.decode(DecisionOverride?.self, atIndex: 6))
    }
}

extension AgentDatabase {
    /// Where a page of decisions in id order starts: after `afterId`, and for the first page
    /// just before the window's first decision, found by the time index, so a week at the end
    /// of a year's log does not walk the year first.
    static func pageStart(_ db: Database, afterId: Int64, since: Date) throws -> Int64 {
        guard afterId == 0 else { return afterId }
        let first = try Int64.fetchOne(
            db, sql: "SELECT min(id) FROM decision WHERE decided_at >= ?", arguments: [since])
        return max(0, (first ?? Int64.max) - 1)
    }
}
