import Foundation
import FulfillmentCore
import GRDB

extension AgentDatabase {
    /// Up to `limit` decisions in [since, until) with an id above `afterId`, as report rows,
    /// oldest first; callers page by the last id so 100,000 rows stream in constant memory.
    public func reportRows(since: Date, until: Date, afterId: Int64, limit: Int = 1000) async throws -> [(
        id: Int64, row: ReportRow
    )] {
        try await writer.read { db in
            let rows = try Row.fetchAll(
                db,
                sql: """
                    WITH base AS (
                        SELECT d.*, f.number AS fr_number, coalesce(d.fr_json, f.raw_json) AS fr
                        FROM decision d JOIN fr f ON f.id = d.fr_id
                        WHERE d.id > ? AND d.decided_at >= ? AND d.decided_at < ?
                        ORDER BY d.id LIMIT ?)
                    SELECT b.id, b.fr_id, b.fr_number AS number, b.decided_at, b.decision, b.rule, b.reason, b.note,
                           b.lines_json, instr(b.trace_json, 'escalated: held since') > 0 AS escalated,
                           json_extract(b.fr, '$.sentAt') AS sent_at, json_extract(b.fr, '$.generatedAt') AS generated_at,
                           coalesce(json_extract(b.fr, '$.orderNumber'), json_extract(b.fr, '$.orderId')) AS order_ref,
                           json_extract(b.fr, '$.shippingAddress.name') AS ship_name,
                           trim(coalesce(json_extract(b.fr, '$.shippingAddress.firstName'), '') || ' ' ||
                                coalesce(json_extract(b.fr, '$.shippingAddress.lastName'), '')) AS ship_first_last,
                           json_extract(b.fr, '$.shippingAddress.city') AS ship_city,
                           (SELECT group_concat(json_extract(i.value, '$.sku'), ' ')
                            FROM json_each(b.fr, '$.fulfillmentRequestItems') AS i) AS skus,
                           o.state AS answer, o.updated_at AS answered_at,
                           (SELECT min(s.shipped_at) FROM shipment s WHERE s.fr_id = b.fr_id AND s.state = 'done')
                               AS shipped_at
                    FROM base b LEFT JOIN outbox o ON o.decision_id = b.id
                    ORDER BY b.id
                    """, arguments: [afterId, since, until, limit])
            return try rows.map { row in (row["id"], try Self.reportRow(row)) }
        }
    }

    private static func reportRow(_ row: Row) throws -> ReportRow {
        let lines = try decode([LineAnswer].self, row["lines_json"])
        let decidedAt: Date = row["decided_at"]
        let answer: String? = row["answer"]
        let answeredAt: Date? = row["answered_at"]
        let confirmed = answer == "done" ? answeredAt : nil
        let sent =
            (row["sent_at"] as String?).flatMap { try? Timestamp.parseInstant($0) }
            ?? (row["generated_at"] as String?).flatMap { try? Timestamp.parseInstant($0) }
        let shippedAt = (row["shipped_at"] as Date?)
        let name =
            (row["ship_name"] as String?)?.trimmedNonEmpty ?? (row["ship_first_last"] as String?)?.trimmedNonEmpty
        let shipTo = [name, (row["ship_city"] as String?)?.trimmedNonEmpty].compactMap { $0 }.joined(separator: ", ")
        let order: DatabaseValue = row["order_ref"]
        return ReportRow(
            frId: row["fr_id"], frNumber: row["number"], order: order.isNull ? nil : "\(order.storage.value ?? "")",
            decidedAt: decidedAt, decision: row["decision"], rule: row["rule"], reason: row["reason"],
            note: row["note"], skus: ((row["skus"] as String?) ?? "").split(separator: " ").map(String.init),
            acknowledged: lines.reduce(0) { $0 + $1.acknowledged },
            cancelled: lines.reduce(0) { $0 + $1.cancelled }, answer: answer,
            answerLatency: zip(sent, confirmed).map { $1.timeIntervalSince($0) },
            shipTo: shipTo.isEmpty ? nil : shipTo,
            shipLatency: zip(confirmed, shippedAt).map { max(0, $1.timeIntervalSince($0)) },
            confirmedAt: confirmed, shipped: shippedAt != nil, escalated: row["escalated"])
    }

    /// FRs first seen and cycles whose guard tripped in [since, until).
    public func reportCounts(since: Date, until: Date) async throws -> (frsReceived: Int, guardTrips: Int) {
        try await writer.read { db in
            let received =
                try Int.fetchOne(
                    db, sql: "SELECT count(*) FROM fr WHERE first_seen >= ? AND first_seen < ?",
                    arguments: [since, until]) ?? 0
            let trips =
                try Int.fetchOne(
                    db,
                    sql: "SELECT count(*) FROM cycle WHERE guard_tripped = 1 AND started_at >= ? AND started_at < ?",
                    arguments: [since, until]) ?? 0
            return (received, trips)
        }
    }
}

private func zip<A, B>(_ a: A?, _ b: B?) -> (A, B)? {
    guard let a, let b else { return nil }
    return (a, b)
}
