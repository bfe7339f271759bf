import AgentStore
import Foundation
import FulfillmentCore
import PostgresNIO

/// Answers listed and looked up: for `answers list`, the console, checks and reports.
extension PostgresStore {
    public func pendingAnswers(among frIds: [Int]) async throws -> [Int: (fingerprint: String?, attempts: Int)] {
        guard !frIds.isEmpty else { return [:] }
        return try await database.read { connection in
            var out: [Int: (fingerprint: String?, attempts: Int)] = [:]
            for row in try await connection.rows(
                """
                SELECT o.fr_id, o.attempts, d.fr_sha256 FROM outbox o JOIN decision d ON d.id = o.decision_id
                WHERE o.source_name = \(source) AND o.state = 'pending' AND o.fr_id = ANY(\(frIds)::bigint[])
                """, logger)
            {
                out[try row["fr_id"].decode(Int.self)] = (
                    try row["fr_sha256"].decode(String?.self), try row["attempts"].decode(Int.self)
                )
            }
            return out
        }
    }

    public func pendingAnswerFRIds() async throws -> Set<Int> {
        try await database.read { connection in
            Set(
                try await connection.values(
                    Int.self, "SELECT fr_id FROM outbox WHERE source_name = \(source) AND state = 'pending'", logger))
        }
    }

    public func answers(state: OutboxRecord.State?, limit: Int) async throws -> [AnswerListing] {
        let state = state?.rawValue
        return try await database.read { connection in
            try await connection.fetch(
                AnswerListing.self,
                """
                SELECT o.id, o.fr_id, f.number AS fr_number, d.decision, d.rule, o.kind, o.state, o.attempts,
                       o.last_error, o.outcome, o.next_attempt_at, o.created_at, o.updated_at
                FROM outbox o JOIN decision d ON d.id = o.decision_id
                LEFT JOIN fr f ON f.source_name = o.source_name AND f.id = o.fr_id
                WHERE o.source_name = \(source) AND (\(state)::text IS NULL OR o.state = \(state))
                ORDER BY o.id DESC LIMIT \(limit)
                """, logger)
        }
    }

    public func frNumbers(_ ids: [Int]) async throws -> Set<String> {
        guard !ids.isEmpty else { return [] }
        return try await database.read { connection in
            Set(
                try await connection.values(
                    String.self,
                    """
                    SELECT number FROM fr
                    WHERE source_name = \(source) AND number IS NOT NULL AND id = ANY(\(ids)::bigint[])
                    """, logger))
        }
    }

    public func answers(forFR frId: Int) async throws -> [OutboxRecord] {
        try await database.read { connection in
            try await connection.fetch(
                OutboxRecord.self,
                "SELECT * FROM outbox WHERE source_name = \(source) AND fr_id = \(frId) ORDER BY id", logger)
        }
    }

    public func outbox() async throws -> [OutboxRecord] {
        try await database.read { connection in
            try await connection.fetch(
                OutboxRecord.self, "SELECT * FROM outbox WHERE source_name = \(source) ORDER BY id", logger)
        }
    }
}
