import AgentStore
import Foundation
import GRDB

extension AgentDatabase {
    /// Queues an alert unless it repeats one: the same event for the same FR is kept once
    /// ever; an event without an FR once per `window`. Returns whether it was queued.
    @discardableResult
    public func queueAlert(event: String, frId: Int?, payloadJSON: String, window: TimeInterval, at now: Date)
        async throws -> Bool
    {
        try await writer.write { [source] db in
            if frId == nil {
                let recent = try Bool.fetchOne(
                    db,
                    sql: """
                        SELECT EXISTS (SELECT 1 FROM alert
                                       WHERE event = ? AND source_name = ? AND fr_id IS NULL AND created_at > ?)
                        """,
                    arguments: [event, source, now.addingTimeInterval(-window)])
                if recent == true { return false }
            }
            try db.execute(
                sql: """
                    INSERT OR IGNORE INTO alert (event, source_name, fr_id, payload_json, state, created_at)
                    VALUES (?, ?, ?, ?, 'pending', ?)
                    """, arguments: [event, source, frId, payloadJSON, now])
            return db.changesCount > 0
        }
    }

    /// Alerts due for delivery, oldest first, of every source: one webhook carries them all
    /// (each payload names its source).
    public func dueAlerts(at now: Date, limit: Int) async throws -> [AlertRecord] {
        try await writer.read { db in
            try AlertRecord.fetchAll(
                db,
                sql: """
                    SELECT * FROM alert WHERE state = 'pending' AND (next_attempt_at IS NULL OR next_attempt_at <= ?)
                    ORDER BY id LIMIT ?
                    """, arguments: [now, limit])
        }
    }

    /// Records one delivery attempt: sent, or failed with the time of the next try (nil: give up).
    public func finishAlert(_ id: Int64, sent: Bool, error: String?, retryAt: Date?) async throws {
        try await writer.write { db in
            let state = sent ? "sent" : (retryAt == nil ? "dropped" : "pending")
            try db.execute(
                sql: """
                    UPDATE alert SET state = ?, attempts = attempts + 1, last_error = ?, next_attempt_at = ?
                    WHERE id = ?
                    """, arguments: [state, error, retryAt, id])
        }
    }

    /// Every alert, oldest first, for checks.
    public func alerts() async throws -> [AlertRecord] {
        try await writer.read { db in try AlertRecord.fetchAll(db, sql: "SELECT * FROM alert ORDER BY id") }
    }
}
