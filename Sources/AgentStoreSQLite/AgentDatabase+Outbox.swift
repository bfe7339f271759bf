import AgentStore
import Foundation
import FulfillmentCore
import GRDB

extension AgentDatabase {
    /// How long an answer may be passed over by more urgent ones: after this it goes out in
    /// the order it was decided, ahead of everything younger.
    public static let longestWait = AnswerTiming.longestWait

    /// The ids of the answers `dueOutbox` returns, in its order: a backlog is ordered once and
    /// its rows loaded a page at a time, so sending 20,000 answers does not hold 20,000 rows.
    public func dueOutboxIds(at now: Date, limit: Int, frIds: Set<Int>?) async throws -> [Int64] {
        let starved = now.addingTimeInterval(-Self.longestWait)
        return try await writer.read { [source] db in
            try Int64.fetchAll(
                db,
                sql: """
                    SELECT o.id FROM outbox o
                    JOIN decision d ON d.id = o.decision_id
                    JOIN fr f ON f.source_name = o.source_name AND f.id = o.fr_id
                    WHERE o.source_name = :source AND o.state = 'pending'
                      AND (o.next_attempt_at IS NULL OR o.next_attempt_at <= :now)
                      AND (:only IS NULL OR o.fr_id IN (SELECT value FROM json_each(:only)))
                    ORDER BY
                        o.created_at > :starved,
                        CASE WHEN o.created_at <= :starved THEN o.id END,
                        d.decision != 'cancel',
                        coalesce(
                            substr(CASE WHEN json_valid(f.raw_json) THEN coalesce(
                                json_extract(f.raw_json, '$.dueDate'), json_extract(f.raw_json, '$.shipByDate'),
                                json_extract(f.raw_json, '$.requiredShipDate')) END, 1, 10),
                            '9999-12-31'),
                        o.id
                    LIMIT :limit
                    """,
                arguments: [
                    "source": source, "now": now, "starved": starved, "limit": limit,
                    "only": frIds.map { idList(Array($0)) },
                ])
        }
    }

    /// These answers, each with the fingerprint of the FR as it was decided, in the order
    /// given; one that is no longer pending is left out.
    public func dueAnswers(ids: [Int64]) async throws -> [DueAnswer] {
        guard !ids.isEmpty else { return [] }
        let rows = try await writer.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT o.*, d.fr_sha256 FROM outbox o JOIN decision d ON d.id = o.decision_id
                    WHERE o.state = 'pending' AND o.id IN (SELECT value FROM json_each(?))
                    """, arguments: [idList(ids)]
            ).map { DueAnswer(record: try OutboxRecord(row: $0), frFingerprint: $0["fr_sha256"]) }
        }
        let byId = Dictionary(rows.map { ($0.record.id ?? 0, $0) }, uniquingKeysWith: { a, _ in a })
        return ids.compactMap { byId[$0] }
    }

    /// Answers still to send, due or backing off.
    public func pendingOutboxCount() async throws -> Int {
        try await writer.read { [source] db in
            try Int.fetchOne(
                db, sql: "SELECT count(*) FROM outbox WHERE source_name = ? AND state = 'pending'", arguments: [source])
                ?? 0
        }
    }

    /// Counts several sends before they start, in one commit.
    public func markAttempts(_ ids: [Int64], at now: Date) async throws {
        guard !ids.isEmpty else { return }
        try await writer.write { db in
            for id in ids {
                try db.execute(
                    sql: "UPDATE outbox SET attempts = attempts + 1, updated_at = ? WHERE id = ?", arguments: [now, id])
            }
        }
    }

    /// Sends counted by `markAttempts` that never started (the pause or a stop came first):
    /// they are as they were, so no read-back is spent on them.
    public func unmarkAttempts(_ ids: [Int64], at now: Date) async throws {
        guard !ids.isEmpty else { return }
        try await writer.write { db in
            for id in ids {
                try db.execute(
                    sql:
                        "UPDATE outbox SET attempts = max(attempts - 1, 0), updated_at = ? WHERE id = ? AND state = 'pending'",
                    arguments: [now, id])
            }
        }
    }

    /// Several confirmed answers in one commit.
    public func markDone(_ done: [(id: Int64, outcome: String)], at now: Date) async throws {
        guard !done.isEmpty else { return }
        try await writer.write { db in
            for (id, outcome) in done {
                try db.execute(
                    sql: """
                        UPDATE outbox SET state = 'done', outcome = ?, last_error = NULL, next_attempt_at = NULL,
                            updated_at = ?
                        WHERE id = ? AND state = 'pending'
                        """,
                    arguments: [outcome, now, id])
            }
        }
    }

    /// A send failed for now: it stays pending and is not tried again before `retryAt`.
    public func recordSendError(_ id: Int64, error: String, retryAt: Date?, at now: Date) async throws {
        try await writer.write { db in
            try db.execute(
                sql: "UPDATE outbox SET last_error = ?, next_attempt_at = ?, updated_at = ? WHERE id = ?",
                arguments: [error, retryAt, now, id])
        }
    }

    /// Flxpoint refused the answer for good (or it cannot be built): mark it failed and
    /// release its reservations together.
    public func markFailed(_ id: Int64, reason: String, at now: Date) async throws {
        try await writer.write { db in
            try db.execute(
                sql: """
                    UPDATE outbox SET state = 'failed', last_error = ?, next_attempt_at = NULL, updated_at = ?
                    WHERE id = ? AND state = 'pending'
                    """,
                arguments: [reason, now, id])
            guard db.changesCount > 0 else { return }
            if let row = try Row.fetchOne(
                db, sql: "SELECT source_name, fr_id FROM outbox WHERE id = ?", arguments: [id])
            {
                try Self.releaseHeld(
                    db, source: row["source_name"], frId: row["fr_id"], reason: "answer refused", at: now)
            }
        }
    }

    /// Withdraws the FR's unsent answer: the outbox row turns `withdrawn`, the decision is
    /// marked withdrawn (so the FR may be decided again) and its reservations are released,
    /// all in one transaction. Returns false when the FR had no pending answer. `backToPerson`:
    /// the FR is still open (it changed), so a person's withdrawn answer returns to the hold queue.
    @discardableResult
    public func withdrawPending(frId: Int, reason: String, backToPerson: Bool, at now: Date) async throws
        -> Bool
    {
        try await writer.write { [source] db in
            try Self.withdraw(
                db, source: source, frId: frId, from: "pending", reason: reason, backToPerson: backToPerson, at: now)
        }
    }

    /// `answers retry`: failed answers of the given FRs (ids or numbers; all failed ones when
    /// nil) are withdrawn so the rules decide those FRs again next cycle. Returns their FR ids.
    public func retryFailed(_ keys: [String]?, at now: Date) async throws -> [Int] {
        try await writer.write { [source] db in
            let failed = try Row.fetchAll(
                db,
                sql: """
                    SELECT o.fr_id, f.number FROM outbox o
                    LEFT JOIN fr f ON f.source_name = o.source_name AND f.id = o.fr_id
                    WHERE o.source_name = ? AND o.state = 'failed' ORDER BY o.id
                    """, arguments: [source])
            let wanted = keys.map(Set.init)
            var retried: [Int] = []
            for row in failed {
                let frId: Int = row["fr_id"]
                let number: String? = row["number"]
                if let wanted, !wanted.contains(String(frId)), !wanted.contains(number ?? "\u{0}") { continue }
                if try Self.withdraw(db, source: source, frId: frId, from: "failed", reason: "retry requested", at: now)
                {
                    retried.append(frId)
                }
            }
            return retried
        }
    }

    static func withdraw(
        _ db: Database, source: String, frId: Int, from state: String, reason: String, backToPerson: Bool = false,
        at now: Date
    ) throws -> Bool {
        try db.execute(
            sql: """
                UPDATE outbox SET state = 'withdrawn', next_attempt_at = NULL, updated_at = ?,
                    last_error = CASE WHEN last_error IS NULL THEN ? ELSE ? || ' (was: ' || last_error || ')' END
                WHERE source_name = ? AND fr_id = ? AND state = ?
                """, arguments: [now, reason, reason, source, frId, state])
        guard db.changesCount > 0 else { return false }
        let live = try Row.fetchOne(
            db,
            sql: """
                SELECT id, rule, decided_by FROM decision
                WHERE source_name = ? AND fr_id = ? AND decision != 'hold' AND withdrawn_at IS NULL
                """, arguments: [source, frId])
        try db.execute(
            sql: """
                UPDATE decision SET withdrawn_at = ?
                WHERE source_name = ? AND fr_id = ? AND decision != 'hold' AND withdrawn_at IS NULL
                """,
            arguments: [now, source, frId])
        try releaseHeld(db, source: source, frId: frId, reason: reason, at: now)
        if backToPerson, let live, live["rule"] == ManualDecision.rule {
            try holdForPerson(db, after: live["id"], by: live["decided_by"], reason: reason, at: now)
        }
        return true
    }

    /// A person's answer withdrawn before it was sent (the FR changed upstream) goes back to
    /// the hold queue rather than to the rules: a person decided this FR, so a person decides
    /// it again. The hold keeps the withdrawn decision's facts and trace, with a note saying why.
    static func holdForPerson(_ db: Database, after decisionId: Int64, by person: String?, reason: String, at now: Date)
        throws
    {
        let note = "\(reason); \(person ?? "a person") had decided it: decide it again"
        try db.execute(
            sql: """
                INSERT INTO decision (source_name, fr_id, cycle_id, decision, rule, reason, remainder, note,
                    lines_json, trace_json, facts_json, decided_now, rules_sha256, decided_at, fr_sha256, fr_json)
                SELECT source_name, fr_id, NULL, 'hold', rule, NULL, NULL, ?, '[]', trace_json, facts_json, ?, rules_sha256, ?,
                    fr_sha256, fr_json
                FROM decision WHERE id = ?
                """, arguments: [note, now, now, decisionId])
    }

}

/// A list of ids as one JSON array parameter, read back with `json_each`: one SQL parameter
/// however many ids, so no query hits SQLite's limit on bound variables.
func idList(_ ids: [some BinaryInteger]) -> String {
    "[" + ids.map(String.init).joined(separator: ",") + "]"
}
