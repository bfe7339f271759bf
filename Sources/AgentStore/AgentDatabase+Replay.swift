import Foundation
import FulfillmentCore
import GRDB

/// A logged decision with the FR as it was decided, read in batches for `replay`.
public struct LoggedDecision: Sendable {
    public var record: DecisionRecord
    public var frNumber: String?
    /// The FR's JSON when decided; for decisions logged before v4, the latest JSON seen.
    public var frJSON: String
    public var stockFigures: [String: [String: StockFigure]]
}

extension AgentDatabase {
    /// Up to `limit` decisions taken in [since, until) with an id above `afterId`, oldest first.
    /// Callers page by the last id, so any number of decisions streams in constant memory.
    public func loggedDecisions(since: Date, until: Date, afterId: Int64, limit: Int = 1000) async throws
        -> [LoggedDecision]
    {
        try await writer.read { db in
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT d.*, f.number AS fr_number, coalesce(d.fr_json, f.raw_json) AS fr_text
                    FROM decision d JOIN fr f ON f.id = d.fr_id
                    WHERE d.id > ? AND d.decided_at >= ? AND d.decided_at < ?
                    ORDER BY d.id LIMIT ?
                    """, arguments: [afterId, since, until, limit])
            return try rows.map { row in
                let record = try DecisionRecord(row: row)
                let basis = try Self.decode(DecisionBasis.self, record.factsJSON)
                return LoggedDecision(
                    record: record, frNumber: row["fr_number"], frJSON: row["fr_text"],
                    stockFigures: basis.stockFigures)
            }
        }
    }
}
