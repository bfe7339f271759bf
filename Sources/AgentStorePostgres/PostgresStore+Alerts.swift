import AgentStore
import Foundation
import PostgresNIO

/// Alerts waiting for the webhook, kept so a restart delivers them.
extension PostgresStore {
    @discardableResult
    public func queueAlert(event: String, frId: Int?, payloadJSON: String, window: TimeInterval, at now: Date)
        async throws -> Bool
    {
        try await writeForSource { connection in
            if frId == nil {
                let recent = try await connection.value(
                    Bool.self,
                    """
                    SELECT EXISTS (SELECT 1 FROM alert
                                   WHERE event = \(event) AND source_name = \(source) AND fr_id IS NULL
                                     AND created_at > \(now.addingTimeInterval(-window)))
                    """, logger)
                if recent == true { return false }
            }
            return try await connection.run(
                """
                INSERT INTO alert (event, source_name, fr_id, payload_json, state, created_at)
                VALUES (\(event), \(source), \(frId), \(payloadJSON.storable), 'pending', \(now))
                ON CONFLICT DO NOTHING
                RETURNING 1
                """, logger) > 0
        }
    }

    public func dueAlerts(at now: Date, limit: Int) async throws -> [AlertRecord] {
        try await database.read { connection in
            try await connection.fetch(
                AlertRecord.self,
                """
                SELECT * FROM alert WHERE state = 'pending' AND (next_attempt_at IS NULL OR next_attempt_at <= \(now))
                ORDER BY id LIMIT \(limit)
                """, logger)
        }
    }

    public func finishAlert(_ id: Int64, sent: Bool, error: String?, retryAt: Date?) async throws {
        let state = sent ? "sent" : (retryAt == nil ? "dropped" : "pending")
        try await database.write { connection in
            try await connection.run(
                """
                UPDATE alert SET state = \(state), attempts = attempts + 1, last_error = \(error?.storable),
                    next_attempt_at = \(retryAt)
                WHERE id = \(id)
                """, logger)
        }
    }

    public func alerts() async throws -> [AlertRecord] {
        try await database.read { connection in
            try await connection.fetch(AlertRecord.self, "SELECT * FROM alert ORDER BY id", logger)
        }
    }
}
