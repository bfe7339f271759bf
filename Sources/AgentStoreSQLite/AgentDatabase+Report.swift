import AgentStore
import AgentStoreSQL
import Foundation
import FulfillmentCore
import GRDB

extension AgentDatabase {
    /// Up to `limit` decisions in [since, until) with an id above `afterId`, as report rows,
    /// oldest first; callers page by the last id so 100,000 rows stream in constant memory.
    public func reportRows(since: Date, until: Date, afterId: Int64, limit: Int) async throws -> [(
        id: Int64, row: ReportRow
    )] {
        try await writer.read { [source] db in
            let rows = try Row.fetchAll(
                db,
                sql: """
                    WITH base AS (
                        SELECT d.*, f.number AS fr_number, coalesce(d.fr_json, f.raw_json) AS fr
                        FROM decision d JOIN fr f ON f.source_name = d.source_name AND f.id = d.fr_id
                        WHERE +d.source_name = ? AND d.id > ? AND +d.decided_at >= ? AND +d.decided_at < ?
                        ORDER BY d.id LIMIT ?)
                    SELECT b.id, b.fr_id, b.fr_number AS number, b.decided_at, b.decision, b.rule, b.reason, b.note, b.decided_by,
                           b.lines_json, b.override IS 'escalated' AS escalated, b.fr,
                           o.state AS answer, o.updated_at AS answered_at,
                           (SELECT min(s.shipped_at) FROM shipment s
                            WHERE s.source_name = b.source_name AND s.fr_id = b.fr_id AND s.state = 'done')
                               AS shipped_at
                    FROM base b LEFT JOIN outbox o ON o.decision_id = b.id
                    ORDER BY b.id
                    """,
                arguments: [source, try Self.pageStart(db, afterId: afterId, since: since), since, until, limit])
            return try rows.map { row in (row["id"], try Self.reportRow(row)) }
        }
    }

    /// Up to `limit` decisions matching `filter` with an id below `beforeId`, newest first, as
    /// report rows: the console's decision list, paged by the last id shown.
    public func decisionPage(_ filter: DecisionFilter, beforeId: Int64?, limit: Int) async throws -> [(
        id: Int64, row: ReportRow
    )] {
        let (conditions, values) = filter.conditions(beforeId: beforeId)
        var arguments: StatementArguments = [source]
        for value in values {
            switch value {
            case .text(let text): arguments += [text]
            case .date(let date): arguments += [date]
            case .integer(let integer): arguments += [integer]
            }
        }
        arguments += [limit]
        // `+d.source_name`: walk the decisions newest first by id, not every one of the source's
        // through its index and then sort them; unless one FR is asked for, whose few decisions
        // the index finds.
        let sql = SharedSQL.decisionPageSQL(
            source: filter.fr == nil ? "+d.source_name" : "d.source_name", conditions: conditions)
        return try await writer.read { [arguments] db in
            try Row.fetchAll(db, sql: sql, arguments: arguments).map { row in (row["id"], try Self.reportRow(row)) }
        }
    }

    /// One report row, from its columns.
    private static func reportRow(_ row: Row) throws -> ReportRow {
        try ReportRow(
            frId: row["fr_id"], frNumber: row["number"], decidedAt: row["decided_at"], decision: row["decision"],
            rule: row["rule"], reason: row["reason"], note: row["note"], decidedBy: row["decided_by"],
            linesJSON: row["lines_json"], escalated: row["escalated"], frJSON: row["fr"], answer: row["answer"],
            answeredAt: row["answered_at"], shippedAt: row["shipped_at"])
    }

    /// FRs first seen and cycles whose guard tripped in [since, until).
    public func reportCounts(since: Date, until: Date) async throws -> (frsReceived: Int, guardTrips: Int) {
        try await writer.read { [source] db in
            let received =
                try Int.fetchOne(
                    db, sql: "SELECT count(*) FROM fr WHERE source_name = ? AND first_seen >= ? AND first_seen < ?",
                    arguments: [source, since, until]) ?? 0
            let trips =
                try Int.fetchOne(
                    db,
                    sql: """
                        SELECT count(*) FROM cycle
                        WHERE source_name = ? AND guard_tripped = 1 AND started_at >= ? AND started_at < ?
                        """,
                    arguments: [source, since, until]) ?? 0
            return (received, trips)
        }
    }
}
