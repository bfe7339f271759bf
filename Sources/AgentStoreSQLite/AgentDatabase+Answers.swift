import AgentStore
import Foundation
import FulfillmentCore
import GRDB

/// Answers listed and looked up: for `answers list`, the console, checks and reports.
extension AgentDatabase {
    /// The pending answers among `frIds`, with the fingerprint of the FR they answer.
    public func pendingAnswers(among frIds: [Int]) async throws -> [Int: (fingerprint: String?, attempts: Int)] {
        guard !frIds.isEmpty else { return [:] }
        return try await writer.read { [source] db in
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT o.fr_id, o.attempts, d.fr_sha256 FROM outbox o JOIN decision d ON d.id = o.decision_id
                    WHERE o.source_name = ? AND o.state = 'pending' AND o.fr_id IN (SELECT value FROM json_each(?))
                    """, arguments: [source, idList(frIds)])
            var out: [Int: (fingerprint: String?, attempts: Int)] = [:]
            for row in rows { out[row["fr_id"]] = (row["fr_sha256"], row["attempts"]) }
            return out
        }
    }

    /// FR ids of every pending answer.
    public func pendingAnswerFRIds() async throws -> Set<Int> {
        try await writer.read { [source] db in
            Set(
                try Int.fetchAll(
                    db, sql: "SELECT fr_id FROM outbox WHERE source_name = ? AND state = 'pending'", arguments: [source]
                ))
        }
    }

    /// Answers in a state (all when nil), newest first, with their FR and decision.
    public func answers(state: OutboxRecord.State?, limit: Int) async throws -> [AnswerListing] {
        try await writer.read { [source] db in
            try AnswerListing.fetchAll(
                db,
                sql: """
                    SELECT o.id, o.fr_id, f.number AS fr_number, d.decision, d.rule, o.kind, o.state, o.attempts,
                           o.last_error, o.outcome, o.next_attempt_at, o.created_at, o.updated_at
                    FROM outbox o JOIN decision d ON d.id = o.decision_id
                    LEFT JOIN fr f ON f.source_name = o.source_name AND f.id = o.fr_id
                    WHERE o.source_name = ? AND (? IS NULL OR o.state = ?)
                    ORDER BY o.id DESC LIMIT ?
                    """, arguments: [source, state?.rawValue, state?.rawValue, limit])
        }
    }

    /// The numbers of the given FRs, where known.
    public func frNumbers(_ ids: [Int]) async throws -> Set<String> {
        guard !ids.isEmpty else { return [] }
        return try await writer.read { [source] db in
            Set(
                try String.fetchAll(
                    db,
                    sql: """
                        SELECT number FROM fr
                        WHERE source_name = ? AND number IS NOT NULL AND id IN (SELECT value FROM json_each(?))
                        """,
                    arguments: [source, idList(ids)]))
        }
    }

    /// Every answer for one FR, oldest first: more than one when earlier ones were withdrawn.
    public func answers(forFR frId: Int) async throws -> [OutboxRecord] {
        try await writer.read { [source] db in
            try OutboxRecord.fetchAll(
                db, sql: "SELECT * FROM outbox WHERE source_name = ? AND fr_id = ? ORDER BY id",
                arguments: [source, frId])
        }
    }

    /// Every outbox row, for checks and reports.
    public func outbox() async throws -> [OutboxRecord] {
        try await writer.read { [source] db in
            try OutboxRecord.fetchAll(
                db, sql: "SELECT * FROM outbox WHERE source_name = ? ORDER BY id", arguments: [source])
        }
    }
}
