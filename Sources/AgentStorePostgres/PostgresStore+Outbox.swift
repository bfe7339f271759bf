import AgentStore
import Foundation
import FulfillmentCore
import PostgresNIO

/// The outbox: answers decided and not yet confirmed by Flxpoint.
extension PostgresStore {
    public func dueOutboxIds(at now: Date, limit: Int, frIds: Set<Int>?) async throws -> [Int64] {
        let starved = now.addingTimeInterval(-AnswerTiming.longestWait)
        let only = frIds.map { Array($0) }
        return try await database.read { connection in
            try await connection.values(
                Int64.self,
                """
                SELECT o.id FROM outbox o
                JOIN decision d ON d.id = o.decision_id
                JOIN fr f ON f.source_name = o.source_name AND f.id = o.fr_id
                WHERE o.source_name = \(source) AND o.state = 'pending'
                  AND (o.next_attempt_at IS NULL OR o.next_attempt_at <= \(now))
                  AND (\(only)::bigint[] IS NULL OR o.fr_id = ANY(\(only)::bigint[]))
                ORDER BY
                    o.created_at > \(starved),
                    CASE WHEN o.created_at <= \(starved) THEN o.id END,
                    d.decision <> 'cancel',
                    coalesce(f.ship_by_day, '9999-12-31'),
                    o.id
                LIMIT \(limit)
                """, logger)
        }
    }

    public func dueAnswers(ids: [Int64]) async throws -> [DueAnswer] {
        guard !ids.isEmpty else { return [] }
        let rows = try await database.read { connection in
            try await connection.rows(
                """
                SELECT o.*, d.fr_sha256 FROM outbox o JOIN decision d ON d.id = o.decision_id
                WHERE o.state = 'pending' AND o.id = ANY(\(ids)::bigint[])
                """, logger
            ).map {
                DueAnswer(
                    record: try PostgresRowDecoder.decode(OutboxRecord.self, from: $0),
                    frFingerprint: try $0["fr_sha256"].decode(String?.self))
            }
        }
        let byId = Dictionary(rows.map { ($0.record.id ?? 0, $0) }, uniquingKeysWith: { a, _ in a })
        return ids.compactMap { byId[$0] }
    }

    public func pendingOutboxCount() async throws -> Int {
        try await database.read { connection in
            try await connection.value(
                Int.self, "SELECT count(*) FROM outbox WHERE source_name = \(source) AND state = 'pending'", logger)
                ?? 0
        }
    }

    public func markAttempts(_ ids: [Int64], at now: Date) async throws {
        guard !ids.isEmpty else { return }
        try await writeForSource { connection in
            try await connection.run(
                """
                UPDATE outbox SET attempts = attempts + 1, updated_at = \(now), attempt_epoch = \(book?.epoch(of: source))
                WHERE id = ANY(\(ids)::bigint[])
                """, logger)
        }
    }

    public func unmarkAttempts(_ ids: [Int64], at now: Date) async throws {
        guard !ids.isEmpty else { return }
        try await writeForSource { connection in
            try await connection.run(
                """
                UPDATE outbox SET attempts = greatest(attempts - 1, 0), updated_at = \(now)
                WHERE id = ANY(\(ids)::bigint[]) AND state = 'pending'
                """, logger)
        }
    }

    public func markDone(_ done: [(id: Int64, outcome: String)], at now: Date) async throws {
        guard !done.isEmpty else { return }
        try await writeForSource { connection in
            try await connection.run(
                """
                UPDATE outbox o SET state = 'done', outcome = t.outcome, last_error = NULL, next_attempt_at = NULL,
                    updated_at = \(now)
                FROM unnest(\(done.map(\.id))::bigint[], \(done.map(\.outcome))::text[]) AS t(id, outcome)
                WHERE o.id = t.id AND o.state = 'pending'
                """, logger)
        }
    }

    public func recordSendError(_ id: Int64, error: String, retryAt: Date?, at now: Date) async throws {
        try await writeForSource { connection in
            try await connection.run(
                """
                UPDATE outbox SET last_error = \(error.storable), next_attempt_at = \(retryAt), updated_at = \(now)
                WHERE id = \(id)
                """, logger)
        }
    }

    public func markFailed(_ id: Int64, reason: String, at now: Date) async throws {
        try await writeForSource { connection in
            let failed = try await connection.rows(
                """
                UPDATE outbox SET state = 'failed', last_error = \(reason.storable), next_attempt_at = NULL,
                    updated_at = \(now)
                WHERE id = \(id) AND state = 'pending'
                RETURNING source_name, fr_id
                """, logger)
            guard let row = failed.first else { return }
            try await releaseHeld(
                source: try row["source_name"].decode(String.self), frId: try row["fr_id"].decode(Int.self),
                reason: "answer refused", at: now, connection)
        }
    }

    @discardableResult
    public func withdrawPending(frId: Int, reason: String, backToPerson: Bool, at now: Date) async throws -> Bool {
        try await writeForSource { connection in
            try await withdraw(
                frId: frId, from: "pending", reason: reason, backToPerson: backToPerson, at: now, connection)
        }
    }

    public func retryFailed(_ keys: [String]?, at now: Date) async throws -> [Int] {
        try await writeForSource { connection in
            let failed = try await connection.rows(
                """
                SELECT o.fr_id, f.number FROM outbox o
                LEFT JOIN fr f ON f.source_name = o.source_name AND f.id = o.fr_id
                WHERE o.source_name = \(source) AND o.state = 'failed' ORDER BY o.id
                """, logger)
            let wanted = keys.map(Set.init)
            var retried: [Int] = []
            for row in failed {
                let frId = try row["fr_id"].decode(Int.self)
                let number = try row["number"].decode(String?.self)
                if let wanted, !wanted.contains(String(frId)), !wanted.contains(number ?? "\u{0}") { continue }
                if try await withdraw(
                    frId: frId, from: "failed", reason: "retry requested", backToPerson: false, at: now, connection)
                {
                    retried.append(frId)
                }
            }
            return retried
        }
    }

    /// Withdraws the FR's answer in `state`: the row turns `withdrawn`, the decision is marked
    /// withdrawn and its reservations released; a person's answer goes back to a person.
    private func withdraw(
        frId: Int, from state: String, reason: String, backToPerson: Bool, at now: Date,
        _ connection: PostgresConnection
    ) async throws -> Bool {
        let reason = reason.storable
        let changed = try await connection.run(
            """
            UPDATE outbox SET state = 'withdrawn', next_attempt_at = NULL, updated_at = \(now),
                last_error = CASE WHEN last_error IS NULL THEN \(reason)
                                  ELSE \(reason) || ' (was: ' || last_error || ')' END
            WHERE source_name = \(source) AND fr_id = \(frId) AND state = \(state)
            RETURNING 1
            """, logger)
        guard changed > 0 else { return false }
        let live = try await connection.rows(
            """
            UPDATE decision SET withdrawn_at = \(now)
            WHERE source_name = \(source) AND fr_id = \(frId) AND decision <> 'hold' AND withdrawn_at IS NULL
            RETURNING id, rule, decided_by
            """, logger
        ).first
        try await releaseHeld(source: source, frId: frId, reason: reason, at: now, connection)
        if backToPerson, let live, try live["rule"].decode(String.self) == ManualDecision.rule {
            let person = try live["decided_by"].decode(String?.self)
            let note = "\(reason); \(person ?? "a person") had decided it: decide it again"
            // A person decided this FR, so a person decides it again: a hold keeping the
            // withdrawn decision's facts and trace, with a note saying why.
            try await connection.run(
                """
                INSERT INTO decision (source_name, fr_id, cycle_id, decision, rule, reason, remainder, note,
                    lines_json, trace_json, facts_json, decided_now, rules_sha256, decided_at, fr_sha256, fr_json)
                SELECT source_name, fr_id, NULL, 'hold', rule, NULL, NULL, \(note), '[]', trace_json, facts_json,
                    \(now), rules_sha256, \(now), fr_sha256, fr_json
                FROM decision WHERE id = \(try live["id"].decode(Int64.self))
                """, logger)
        }
        return true
    }
}
