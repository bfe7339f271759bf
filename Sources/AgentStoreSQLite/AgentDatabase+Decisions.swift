import AgentStore
import Foundation
import FulfillmentCore
import GRDB

/// The decision log: decisions written with their reservations and answers, and read back.
extension AgentDatabase {

    /// FR ids that already have a live answer (a non-hold decision not withdrawn); they are
    /// not decided again.
    public func answeredFRIds(among ids: [Int]) async throws -> Set<Int> {
        guard !ids.isEmpty else { return [] }
        return try await writer.read { [source] db in
            Set(
                try Int.fetchAll(
                    db,
                    sql: """
                        SELECT fr_id FROM decision WHERE decision != 'hold' AND withdrawn_at IS NULL
                          AND source_name = ? AND fr_id IN (SELECT value FROM json_each(?))
                        """,
                    arguments: [source, idList(ids)]))
        }
    }

    /// What the newest decision for each FR among `ids` said, without its JSON columns: a
    /// backlog of held FRs is compared with it every cycle.
    public func latestOutcomes(for ids: [Int]) async throws -> [Int: LoggedOutcome] {
        guard !ids.isEmpty else { return [:] }
        return try await writer.read { [source] db in
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT fr_id, decision, rule, reason, note, hold_until FROM decision WHERE id IN (
                        SELECT max(id) FROM decision
                        WHERE source_name = ? AND fr_id IN (SELECT value FROM json_each(?)) GROUP BY fr_id)
                    """, arguments: [source, idList(ids)])
            var out: [Int: LoggedOutcome] = [:]
            for row in rows {
                out[row["fr_id"]] = LoggedOutcome(
                    decision: try .stored(row["decision"] as String, column: "decision.decision"), rule: row["rule"],
                    reason: try .stored(row["reason"] as String?, column: "decision.reason"), note: row["note"],
                    holdUntil: row["hold_until"])
            }
            return out
        }
    }

    /// The newest decision for each FR among `ids`.
    public func latestDecisions(for ids: [Int]) async throws -> [Int: DecisionRecord] {
        guard !ids.isEmpty else { return [:] }
        return try await writer.read { [source] db in
            let rows = try DecisionRecord.fetchAll(
                db,
                sql: """
                    SELECT * FROM decision WHERE id IN (
                        SELECT max(id) FROM decision
                        WHERE source_name = ? AND fr_id IN (SELECT value FROM json_each(?)) GROUP BY fr_id)
                    """, arguments: [source, idList(ids)])
            return Dictionary(rows.map { ($0.frId, $0) }, uniquingKeysWith: { a, _ in a })
        }
    }

    /// When each FR among `ids` was first held since its last withdrawn answer, for hold
    /// escalation. Guard holds do not count: the guard is the agent's caution, not a rule's.
    public func firstHeld(among ids: [Int]) async throws -> [Int: Date] {
        guard !ids.isEmpty else { return [:] }
        return try await writer.read { [source] db in
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT h.fr_id, min(h.decided_now) AS since FROM decision h
                    WHERE h.decision = 'hold' AND (h.reason IS NULL OR h.reason != 'guard')
                      AND h.source_name = ? AND h.fr_id IN (SELECT value FROM json_each(?))
                      AND h.id > coalesce((SELECT max(w.id) FROM decision w
                                           WHERE w.source_name = h.source_name AND w.fr_id = h.fr_id
                                             AND w.withdrawn_at IS NOT NULL), 0)
                    GROUP BY h.fr_id
                    """, arguments: [source, idList(ids)])
            var out: [Int: Date] = [:]
            for row in rows { out[row["fr_id"]] = row["since"] }
            return out
        }
    }

    /// On-hand stock of the pool's last snapshot, less every unit still held and every unit
    /// shipped after the snapshot's `as_of`, by any source drawing on the pool: the state a
    /// cycle decides against. Units shipped before the snapshot were already gone when it was
    /// counted, so they are not subtracted twice.
    public func loadLedger() async throws -> StockLedger {
        try await writer.read { [pool] db in
            let levels = try Row.fetchAll(
                db, sql: "SELECT sku, location, on_hand, cost FROM stock WHERE pool = ?", arguments: [pool]
            ).map {
                StockLevel(sku: $0["sku"], location: $0["location"], onHand: $0["on_hand"], cost: $0["cost"])
            }
            let taken = try Self.taken(db, pool: pool).map {
                StockReservation(sku: $0.sku, location: $0.location, quantity: $0.units)
            }
            let kits = try KitListing.catalog(try Self.kitListing(db, pool: pool).kits)
            let inbound = try Self.inboundListing(db, pool: pool).rows
            // Promises from arrivals count even when the arrivals are gone: then from the shelf.
            let promised = try Self.promisedInbound(db, pool: pool)
            return StockLedger(
                levels: levels, reservations: taken + promised, kits: kits, inbound: inbound,
                countedAt: try Self.snapshotAsOf(db, pool: pool))
        }
    }

    /// Writes several decisions in one transaction: each with its reservations and outbox
    /// row, all or none, and one commit (one sync to disk) for the lot. Nothing is sent
    /// before its decision is committed, so a crash before the commit loses only decisions
    /// that the next cycle takes again. Returns, per decision, whether it was written (false
    /// when its FR already has an answer).
    public func recordDecisions(_ writes: [DecisionWrite], cycleId: Int64?, at now: Date) async throws -> [Bool] {
        // The JSON columns were encoded when each write was made (on every core, by a cycle):
        // the write lock is held only for the inserts.
        try await writer.write { [source] db in
            try writes.map { try Self.insert($0, source: source, cycleId: cycleId, at: now, db) }
        }
    }

    private static func insert(
        _ write: DecisionWrite, source: String, cycleId: Int64?, at now: Date, _ db: Database
    ) throws -> Bool {
        let decision = write.decision
        let encoded = write.encoded
        if try !Self.open(for: decision, source: source, db, at: now) { return false }
        var row = DecisionRecord(
            id: nil, sourceName: source, frId: decision.frId, cycleId: cycleId, decision: decision.decision,
            rule: decision.rule, reason: decision.reason, remainder: decision.remainder, note: decision.note,
            linesJSON: encoded.lines, traceJSON: encoded.trace, factsJSON: encoded.basis,
            decidedNow: decision.facts.now,
            rulesSHA256: decision.ruleFileSHA256, decidedAt: now, frSHA256: write.input.frFingerprint,
            frJSON: write.input.frJSON, heldSince: write.input.heldSince, decidedBy: decision.decidedBy,
            holdUntil: decision.holdUntil, override: decision.override)
        try row.insert(db)
        guard let decisionId = row.id else { return false }
        if write.input.frJSONAsSeen, write.input.frJSON == nil {
            try db.execute(
                sql:
                    "UPDATE decision SET fr_json = (SELECT raw_json FROM fr WHERE source_name = ? AND id = ?) WHERE id = ?",
                arguments: [source, decision.frId, decisionId])
        }
        for reservation in decision.reservations where reservation.quantity > 0 {
            var record = ReservationRecord(
                id: nil, sourceName: source, frId: decision.frId, decisionId: decisionId, sku: reservation.sku,
                location: reservation.location, quantity: reservation.quantity, state: .held,
                backordered: reservation.backordered, inboundAt: reservation.inboundAt)
            try record.insert(db)
        }
        if let outbox = write.outbox {
            var record = OutboxRecord(
                id: nil, sourceName: source, frId: decision.frId, decisionId: decisionId, kind: outbox.kind,
                bodyJSON: outbox.bodyJSON,
                state: .pending, attempts: 0, lastError: nil, outcome: nil, createdAt: now, updatedAt: now)
            try record.insert(db)
        }
        return true
    }

    /// Whether `decision` may be recorded: not when the FR already has a live answer, nor
    /// (for the rules) while a person keeps it on hold. Checked inside the write, so the
    /// daemon and a person deciding the same FR at once cannot both win.
    static func open(for decision: FRDecision, source: String, _ db: Database, at now: Date) throws -> Bool {
        if decision.decision != .hold {
            let answered =
                try Bool.fetchOne(
                    db,
                    sql: """
                        SELECT EXISTS (SELECT 1 FROM decision
                                       WHERE source_name = ? AND fr_id = ? AND decision != 'hold'
                                         AND withdrawn_at IS NULL)
                        """,
                    arguments: [source, decision.frId]) ?? false
            if answered { return false }
        }
        if decision.decidedBy == nil {
            let personHolds =
                try Bool.fetchOne(
                    db,
                    sql: """
                        SELECT EXISTS (SELECT 1 FROM decision
                                       WHERE id = (SELECT max(id) FROM decision WHERE source_name = ? AND fr_id = ?)
                                         AND rule = ? AND decision = 'hold' AND (hold_until IS NULL OR hold_until > ?))
                        """,
                    arguments: [source, decision.frId, ManualDecision.rule, now]) ?? false
            if personHolds { return false }
        }
        return true
    }

    /// The decision that answers an FR (not a hold, not withdrawn), if any, with its answer's
    /// state in the outbox.
    static func liveAnswer(_ db: Database, source: String, frId: Int) throws -> (
        decision: DecisionRecord, state: String?
    )? {
        guard
            let live = try DecisionRecord.fetchOne(
                db,
                sql: """
                    SELECT * FROM decision
                    WHERE source_name = ? AND fr_id = ? AND decision != 'hold' AND withdrawn_at IS NULL
                    """,
                arguments: [source, frId])
        else { return nil }
        let state = try String.fetchOne(db, sql: "SELECT state FROM outbox WHERE decision_id = ?", arguments: [live.id])
        return (live, state)
    }

    /// Every decision for an FR, by id or number, oldest first.
    public func decisions(forFR key: String) async throws -> [DecisionRecord] {
        try await writer.read { [source] db in
            try DecisionRecord.fetchAll(
                db,
                sql: """
                    SELECT * FROM decision
                    WHERE source_name = ?
                      AND (fr_id = ? OR fr_id IN (SELECT id FROM fr WHERE source_name = ? AND number = ?))
                    ORDER BY id
                    """, arguments: [source, Int(key) ?? -1, source, key])
        }
    }

    /// Rebuilds the full decision from its row, for `explain` and reports.
    public func fullDecision(_ row: DecisionRecord) async throws -> FRDecision {
        try row.fullDecision(frNumber: try await frRecord(id: row.frId)?.number)
    }

    /// Reservations per FR in a state, for checks.
    public func reservations(state: ReservationRecord.State) async throws -> [ReservationRecord] {
        try await writer.read { [source] db in
            try ReservationRecord.fetchAll(
                db, sql: "SELECT * FROM reservation WHERE source_name = ? AND state = ? ORDER BY id",
                arguments: [source, state])
        }
    }
}
