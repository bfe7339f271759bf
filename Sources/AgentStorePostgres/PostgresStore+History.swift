import AgentStore
import AgentStoreSQL
import Foundation
import FulfillmentCore
import PostgresNIO

/// The decision log read back in time order, for replay and reports.
extension PostgresStore {
    public func loggedDecisions(since: Date, until: Date, afterId: Int64, limit: Int) async throws
        -> [LoggedDecision]
    {
        try await database.read { connection in
            let start = try await pageStart(afterId: afterId, since: since, connection)
            return try await connection.rows(
                """
                SELECT d.id, d.fr_id, d.decision, d.rule, d.reason, d.note, d.override, d.lines_json, d.facts_json,
                       d.decided_now, d.held_since, d.decided_at, f.number AS fr_number,
                       coalesce(d.fr_json, f.raw_json) AS fr_text
                FROM decision d JOIN fr f ON f.source_name = d.source_name AND f.id = d.fr_id
                WHERE d.source_name = \(source) AND d.id > \(start) AND d.decided_at >= \(since)
                  AND d.decided_at < \(until) AND d.rule <> \(ManualDecision.rule)
                ORDER BY d.id LIMIT \(limit)
                """, logger
            ).map { row in
                LoggedDecision(
                    id: try row[0].decode(Int64.self), frId: try row[1].decode(Int.self),
                    frNumber: try row[12].decode(String?.self), decidedAt: try row[11].decode(Date.self),
                    decision: try .stored(row[2].decode(String?.self), column: "decision.decision"),
                    rule: try row[3].decode(String.self),
                    reason: try .stored(row[4].decode(String?.self), column: "decision.reason"),
                    note: try row[5].decode(String?.self), linesJSON: try row[7].decode(String?.self),
                    factsJSON: try row[8].decode(String?.self), now: try row[9].decode(Date.self),
                    heldSince: try row[10].decode(Date?.self), frJSON: try row[13].decode(String.self),
                    override: try .stored(row[6].decode(String?.self), column: "decision.override"))
            }
        }
    }

    public func reportRows(since: Date, until: Date, afterId: Int64, limit: Int) async throws -> [(
        id: Int64, row: ReportRow
    )] {
        try await database.read { connection in
            let start = try await pageStart(afterId: afterId, since: since, connection)
            return try await connection.rows(
                """
                WITH base AS (
                    SELECT d.*, f.number AS fr_number, coalesce(d.fr_json, f.raw_json) AS fr
                    FROM decision d JOIN fr f ON f.source_name = d.source_name AND f.id = d.fr_id
                    WHERE d.source_name = \(source) AND d.id > \(start) AND d.decided_at >= \(since)
                      AND d.decided_at < \(until)
                    ORDER BY d.id LIMIT \(limit))
                SELECT b.id, b.fr_id, b.fr_number AS number, b.decided_at, b.decision, b.rule, b.reason, b.note,
                       b.decided_by, b.lines_json, b.override IS NOT DISTINCT FROM 'escalated' AS escalated, b.fr,
                       o.state AS answer, o.updated_at AS answered_at,
                       (SELECT min(s.shipped_at) FROM shipment s
                        WHERE s.source_name = b.source_name AND s.fr_id = b.fr_id AND s.state = 'done') AS shipped_at
                FROM base b LEFT JOIN outbox o ON o.decision_id = b.id
                ORDER BY b.id
                """, logger
            ).map { row in (try row["id"].decode(Int64.self), try Self.reportRow(row)) }
        }
    }

    /// One report row, from its columns.
    static func reportRow(_ row: PostgresRandomAccessRow) throws -> ReportRow {
        try ReportRow(
            frId: row["fr_id"].decode(Int.self), frNumber: row["number"].decode(String?.self),
            decidedAt: row["decided_at"].decode(Date.self), decision: row["decision"].decode(String.self),
            rule: row["rule"].decode(String.self), reason: row["reason"].decode(String?.self),
            note: row["note"].decode(String?.self), decidedBy: row["decided_by"].decode(String?.self),
            linesJSON: row["lines_json"].decode(String?.self), escalated: row["escalated"].decode(Bool.self),
            frJSON: row["fr"].decode(String?.self), answer: row["answer"].decode(String?.self),
            answeredAt: row["answered_at"].decode(Date?.self), shippedAt: row["shipped_at"].decode(Date?.self))
    }

    public func decisionPage(_ filter: DecisionFilter, beforeId: Int64?, limit: Int) async throws -> [(
        id: Int64, row: ReportRow
    )] {
        let (conditions, values) = filter.conditions(beforeId: beforeId)
        var binds = PostgresBindings()
        try binds.append(source, context: .default)
        for value in values {
            switch value {
            case .text(let text): try binds.append(text, context: .default)
            case .date(let date): try binds.append(date, context: .default)
            case .integer(let integer): try binds.append(integer, context: .default)
            }
        }
        try binds.append(limit, context: .default)
        let sql = Self.numbered(SharedSQL.decisionPageSQL(source: "d.source_name", conditions: conditions))
        return try await database.read { connection in
            try await connection.rows(PostgresQuery(unsafeSQL: sql, binds: binds), logger).map { row in
                (try row["id"].decode(Int64.self), try Self.reportRow(row))
            }
        }
    }

    public func reportCounts(since: Date, until: Date) async throws -> (frsReceived: Int, guardTrips: Int) {
        try await database.read { connection in
            let received =
                try await connection.value(
                    Int.self,
                    """
                    SELECT count(*) FROM fr
                    WHERE source_name = \(source) AND first_seen >= \(since) AND first_seen < \(until)
                    """, logger) ?? 0
            let trips =
                try await connection.value(
                    Int.self,
                    """
                    SELECT count(*) FROM cycle
                    WHERE source_name = \(source) AND guard_tripped AND started_at >= \(since)
                      AND started_at < \(until)
                    """, logger) ?? 0
            return (received, trips)
        }
    }

    /// Where a page of decisions in id order starts: after `afterId`, and for the first page
    /// just before the window's first decision, found by the time index.
    private func pageStart(afterId: Int64, since: Date, _ connection: PostgresConnection) async throws -> Int64 {
        guard afterId == 0 else { return afterId }
        let first = try await connection.value(
            Int64.self, "SELECT min(id) FROM decision WHERE decided_at >= \(since)", logger)
        return max(0, (first ?? Int64.max) - 1)
    }
}
