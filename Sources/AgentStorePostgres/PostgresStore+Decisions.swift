import AgentStore
import Foundation
import FulfillmentCore
import PostgresNIO

/// The decision log: decisions written with their reservations and answers, and read back.
extension PostgresStore {
    public func answeredFRIds(among ids: [Int]) async throws -> Set<Int> {
        guard !ids.isEmpty else { return [] }
        return try await database.read { connection in
            Set(
                try await connection.values(
                    Int.self,
                    """
                    SELECT fr_id FROM decision WHERE decision <> 'hold' AND withdrawn_at IS NULL
                      AND source_name = \(source) AND fr_id = ANY(\(ids)::bigint[])
                    """, logger))
        }
    }

    public func latestOutcomes(for ids: [Int]) async throws -> [Int: LoggedOutcome] {
        guard !ids.isEmpty else { return [:] }
        return try await database.read { connection in
            var out: [Int: LoggedOutcome] = [:]
            for row in try await connection.rows(
                """
                SELECT fr_id, decision, rule, reason, note, hold_until FROM decision WHERE id IN (
                    SELECT max(id) FROM decision WHERE source_name = \(source) AND fr_id = ANY(\(ids)::bigint[])
                    GROUP BY fr_id)
                """, logger)
            {
                out[try row["fr_id"].decode(Int.self)] = LoggedOutcome(
                    decision: try .stored(row["decision"].decode(String.self), column: "decision.decision"),
                    rule: try row["rule"].decode(String.self),
                    reason: try .stored(row["reason"].decode(String?.self), column: "decision.reason"),
                    note: try row["note"].decode(String?.self), holdUntil: try row["hold_until"].decode(Date?.self))
            }
            return out
        }
    }

    public func latestDecisions(for ids: [Int]) async throws -> [Int: DecisionRecord] {
        guard !ids.isEmpty else { return [:] }
        return try await database.read { connection in
            let rows = try await connection.fetch(
                DecisionRecord.self,
                """
                SELECT * FROM decision WHERE id IN (
                    SELECT max(id) FROM decision WHERE source_name = \(source) AND fr_id = ANY(\(ids)::bigint[])
                    GROUP BY fr_id)
                """, logger)
            return Dictionary(rows.map { ($0.frId, $0) }, uniquingKeysWith: { a, _ in a })
        }
    }

    public func firstHeld(among ids: [Int]) async throws -> [Int: Date] {
        guard !ids.isEmpty else { return [:] }
        return try await database.read { connection in
            var out: [Int: Date] = [:]
            for row in try await connection.rows(
                """
                SELECT h.fr_id, min(h.decided_now) AS since FROM decision h
                WHERE h.decision = 'hold' AND (h.reason IS NULL OR h.reason <> 'guard')
                  AND h.source_name = \(source) AND h.fr_id = ANY(\(ids)::bigint[])
                  AND h.id > coalesce((SELECT max(w.id) FROM decision w
                                       WHERE w.source_name = h.source_name AND w.fr_id = h.fr_id
                                         AND w.withdrawn_at IS NOT NULL), 0)
                GROUP BY h.fr_id
                """, logger)
            {
                out[try row["fr_id"].decode(Int.self)] = try row["since"].decode(Date.self)
            }
            return out
        }
    }

    public func recordDecisions(_ writes: [DecisionWrite], cycleId: Int64?, at now: Date) async throws -> [Bool] {
        guard !writes.isEmpty else { return [] }
        let promises = writes.contains { !$0.decision.reservations.isEmpty }
        return try await database.write { connection in
            if promises { try await lockPool(connection, pool) }
            try await lockSource(connection)
            // Another agent process may have promised units of the pool since this batch was
            // decided: under the pool's lock, an agent's decision whose units are no longer free
            // is not written (the next cycle decides its FR again), so no two processes promise
            // the same units. (An agent decides only from free units, so the check never refuses
            // a decision the ledger it was made from allowed.)
            let checks = promises && book != nil
            var ledger = checks ? try await ledger(connection, withKits: false) : StockLedger()
            var written: [Bool] = []
            for write in writes {
                let wanted = write.decision.reservations.filter { $0.quantity > 0 }
                // A person's decision stands as they took it; the rules' give way.
                if checks, !wanted.isEmpty, write.decision.decidedBy == nil, !ledger.fits(wanted) {
                    logger.notice(
                        "stock promised elsewhere since this FR was decided; it is decided again next cycle",
                        metadata: ["fr.id": "\(write.decision.frId)", "pool": "\(pool)"])
                    written.append(false)
                    continue
                }
                let inserted = try await insert(write, cycleId: cycleId, at: now, connection)
                if inserted { ledger.take(wanted) }
                written.append(inserted)
            }
            return written
        }
    }

    private func insert(_ write: DecisionWrite, cycleId: Int64?, at now: Date, _ connection: PostgresConnection)
        async throws -> Bool
    {
        let decision = write.decision
        let encoded = write.encoded
        if try await !open(for: decision, at: now, connection) { return false }
        let frJSON = write.input.frJSON?.storable
        guard
            let decisionId = try await connection.value(
                Int64.self,
                """
                INSERT INTO decision (source_name, fr_id, cycle_id, decision, rule, reason, remainder, note, lines_json,
                    trace_json, facts_json, decided_now, rules_sha256, decided_at, fr_sha256, fr_json, held_since,
                    decided_by, hold_until, override)
                VALUES (\(source), \(decision.frId), \(cycleId), \(decision.decision.rawValue), \(decision.rule.storable),
                    \(decision.reason?.rawValue), \(decision.remainder?.rawValue), \(decision.note?.storable),
                    \(encoded.lines), \(encoded.trace), \(encoded.basis), \(decision.facts.now),
                    \(decision.ruleFileSHA256), \(now), \(write.input.frFingerprint),
                    CASE WHEN \(write.input.frJSONAsSeen) AND \(frJSON)::text IS NULL
                         THEN (SELECT raw_json FROM fr WHERE source_name = \(source) AND id = \(decision.frId))
                         ELSE \(frJSON) END,
                    \(write.input.heldSince), \(decision.decidedBy?.storable), \(decision.holdUntil),
                    \(decision.override?.rawValue))
                RETURNING id
                """, logger)
        else { return false }
        let held = decision.reservations.filter { $0.quantity > 0 }
        if !held.isEmpty {
            try await connection.run(
                """
                INSERT INTO reservation (source_name, fr_id, decision_id, sku, location, quantity, state, backordered,
                    inbound_at)
                SELECT \(source), \(decision.frId), \(decisionId), t.sku, t.location, t.quantity, 'held', t.backordered,
                       CASE WHEN t.promised THEN t.inbound_at END
                FROM unnest(\(held.map(\.sku))::text[], \(held.map(\.location))::text[],
                            \(held.map(\.quantity))::bigint[], \(held.map(\.backordered))::boolean[],
                            \(held.map { $0.inboundAt != nil })::boolean[],
                            \(held.map { $0.inboundAt ?? Date(timeIntervalSince1970: 0) })::timestamptz[])
                     WITH ORDINALITY AS t(sku, location, quantity, backordered, promised, inbound_at, n)
                ORDER BY t.n
                """, logger)
        }
        if let outbox = write.outbox {
            try await connection.run(
                """
                INSERT INTO outbox (source_name, fr_id, decision_id, kind, body_json, state, attempts, created_at,
                    updated_at)
                VALUES (\(source), \(decision.frId), \(decisionId), \(outbox.kind.rawValue), \(outbox.bodyJSON),
                    'pending', 0, \(now), \(now))
                """, logger)
        }
        return true
    }

    /// Whether `decision` may be recorded: not when the FR already has a live answer, nor
    /// (for the rules) while a person keeps it on hold. Checked inside the write, under the
    /// source's lock, so the daemon and a person deciding the same FR at once cannot both win.
    private func open(for decision: FRDecision, at now: Date, _ connection: PostgresConnection) async throws -> Bool {
        if decision.decision != .hold {
            let answered =
                try await connection.value(
                    Bool.self,
                    """
                    SELECT EXISTS (SELECT 1 FROM decision
                                   WHERE source_name = \(source) AND fr_id = \(decision.frId)
                                     AND decision <> 'hold' AND withdrawn_at IS NULL)
                    """, logger) ?? false
            if answered { return false }
        }
        if decision.decidedBy == nil {
            let personHolds =
                try await connection.value(
                    Bool.self,
                    """
                    SELECT EXISTS (SELECT 1 FROM decision
                                   WHERE id = (SELECT max(id) FROM decision
                                               WHERE source_name = \(source) AND fr_id = \(decision.frId))
                                     AND rule = \(ManualDecision.rule) AND decision = 'hold'
                                     AND (hold_until IS NULL OR hold_until > \(now)))
                    """, logger) ?? false
            if personHolds { return false }
        }
        return true
    }

    /// The decision that answers an FR (not a hold, not withdrawn), if any, with its answer's
    /// state in the outbox.
    func liveAnswer(frId: Int, _ connection: PostgresConnection) async throws -> (
        decision: DecisionRecord, state: String?
    )? {
        guard
            let live = try await connection.fetch(
                DecisionRecord.self,
                """
                SELECT * FROM decision
                WHERE source_name = \(source) AND fr_id = \(frId) AND decision <> 'hold' AND withdrawn_at IS NULL
                """, logger
            ).first
        else { return nil }
        let state = try await connection.value(
            String.self, "SELECT state FROM outbox WHERE decision_id = \(live.id)", logger)
        return (live, state)
    }

    public func decisions(forFR key: String) async throws -> [DecisionRecord] {
        try await database.read { connection in
            try await connection.fetch(
                DecisionRecord.self,
                """
                SELECT * FROM decision
                WHERE source_name = \(source)
                  AND (fr_id = \(Int(key) ?? -1)
                       OR fr_id IN (SELECT id FROM fr WHERE source_name = \(source) AND number = \(key)))
                ORDER BY id
                """, logger)
        }
    }

    public func fullDecision(_ row: DecisionRecord) async throws -> FRDecision {
        try row.fullDecision(frNumber: try await frRecord(id: row.frId)?.number)
    }

    public func reservations(state: ReservationRecord.State) async throws -> [ReservationRecord] {
        try await database.read { connection in
            try await connection.fetch(
                ReservationRecord.self,
                "SELECT * FROM reservation WHERE source_name = \(source) AND state = \(state.rawValue) ORDER BY id",
                logger)
        }
    }
}
