import AgentStore
import Foundation
import FulfillmentCore
import GRDB

extension AgentDatabase {
    /// Ends every held reservation of an FR: the units can be promised again.
    static func releaseHeld(_ db: Database, source: String, frId: Int, reason: String, at now: Date) throws {
        try db.execute(
            sql: """
                UPDATE reservation SET state = 'released', ended_at = ?, end_reason = ?
                WHERE source_name = ? AND fr_id = ? AND state = 'held'
                """,
            arguments: [now, reason, source, frId])
    }

    /// Turns up to `quantity` held units of `sku` for an FR into `shipped` at `shippedAt`,
    /// splitting a reservation when only part of it shipped. Returns the units moved.
    @discardableResult
    static func shipHeld(
        _ db: Database, source: String, frId: Int, sku: String, quantity: Int, shippedAt: Date, shipmentId: Int64?,
        reason: String
    ) throws -> Int {
        var need = quantity
        let held = try ReservationRecord.fetchAll(
            db,
            sql:
                "SELECT * FROM reservation WHERE source_name = ? AND fr_id = ? AND sku = ? AND state = 'held' ORDER BY id",
            arguments: [source, frId, sku])
        for reservation in held where need > 0 {
            guard let id = reservation.id else { continue }
            let take = min(need, reservation.quantity)
            if take < reservation.quantity {
                try db.execute(
                    sql: "UPDATE reservation SET quantity = quantity - ? WHERE id = ?", arguments: [take, id])
                try db.execute(
                    sql: """
                        INSERT INTO reservation (source_name, fr_id, decision_id, sku, location, quantity, state,
                            ended_at, end_reason, shipment_id, backordered, inbound_at)
                        VALUES (?, ?, ?, ?, ?, ?, 'shipped', ?, ?, ?, ?, ?)
                        """,
                    arguments: [
                        source, frId, reservation.decisionId, sku, reservation.location, take, shippedAt, reason,
                        shipmentId, reservation.backordered, reservation.inboundAt,
                    ])
            } else {
                try db.execute(
                    sql: """
                        UPDATE reservation SET state = 'shipped', ended_at = ?, end_reason = ?, shipment_id = ?
                        WHERE id = ?
                        """, arguments: [shippedAt, reason, shipmentId, id])
            }
            need -= take
        }
        return quantity - need
    }

    /// Units held for an FR, per SKU.
    public func heldUnits(frId: Int) async throws -> [String: Int] {
        try await writer.read { [source] db in try Self.units(db, source: source, frId: frId, state: .held) }
    }

    /// Units still held per FR and SKU: what is acknowledged and waiting to ship.
    public func heldUnitsByFR() async throws -> [Int: [String: Int]] {
        try await writer.read { [source] db in
            var out: [Int: [String: Int]] = [:]
            for row in try Row.fetchAll(
                db,
                sql: """
                    SELECT fr_id, sku, sum(quantity) AS q FROM reservation WHERE source_name = ? AND state = 'held'
                    GROUP BY fr_id, sku
                    """, arguments: [source])
            {
                out[row["fr_id"], default: [:]][row["sku"]] = row["q"]
            }
            return out
        }
    }

    /// Units of an FR in a reservation state, per SKU.
    static func units(_ db: Database, source: String, frId: Int, state: ReservationRecord.State) throws -> [String: Int]
    {
        var out: [String: Int] = [:]
        for row in try Row.fetchAll(
            db,
            sql: """
                SELECT sku, sum(quantity) AS q FROM reservation WHERE source_name = ? AND fr_id = ? AND state = ?
                GROUP BY sku
                """,
            arguments: [source, frId, state])
        {
            out[row["sku"]] = row["q"]
        }
        return out
    }

    /// Acknowledged FRs still holding units whose answer Flxpoint confirmed before
    /// `answeredBefore` and that were not read back since `checkedBefore`: least recently
    /// checked first.
    public func readBackCandidates(answeredBefore: Date, checkedBefore: Date, limit: Int) async throws -> [Int] {
        guard limit > 0 else { return [] }
        return try await writer.read { [source] db in
            try Int.fetchAll(
                db,
                sql: """
                    SELECT f.id FROM fr f JOIN outbox o ON o.source_name = f.source_name AND o.fr_id = f.id
                    WHERE f.source_name = ? AND o.state = 'done' AND o.updated_at < ?
                      AND (f.checked_at IS NULL OR f.checked_at < ?)
                      AND EXISTS (SELECT 1 FROM reservation r
                                  WHERE r.source_name = f.source_name AND r.fr_id = f.id AND r.state = 'held')
                    ORDER BY f.checked_at IS NOT NULL, f.checked_at, f.id
                    LIMIT ?
                    """, arguments: [source, answeredBefore, checkedBefore, limit])
        }
    }

    /// Applies what a read-back showed: units Flxpoint records as shipped end as `shipped`
    /// (at `now`: the read-back does not say when, and a later snapshot settles it), and a
    /// voided or cancelled FR releases everything still held. Returns the units that stopped
    /// being held.
    @discardableResult
    public func applyReadBack(frId: Int, shipped: [String: Int], voided: Bool, at now: Date) async throws -> Int {
        try await writer.write { [source] db in
            let before = try Self.units(db, source: source, frId: frId, state: .held).values.reduce(0, +)
            if voided {
                try Self.releaseHeld(db, source: source, frId: frId, reason: "voided upstream", at: now)
            } else {
                let alreadyShipped = try Self.units(db, source: source, frId: frId, state: .shipped)
                for (sku, units) in shipped where units > alreadyShipped[sku] ?? 0 {
                    try Self.shipHeld(
                        db, source: source, frId: frId, sku: sku, quantity: units - (alreadyShipped[sku] ?? 0),
                        shippedAt: now,
                        shipmentId: nil, reason: "shipped in Flxpoint")
                }
            }
            try db.execute(
                sql: "UPDATE fr SET checked_at = ? WHERE source_name = ? AND id = ?", arguments: [now, source, frId])
            return before - (try Self.units(db, source: source, frId: frId, state: .held).values.reduce(0, +))
        }
    }

    /// Units held for acknowledged FRs awaiting shipment, and the oldest such FR.
    public func awaitingShipment() async throws -> AwaitingShipment {
        try await writer.read { [source] db in
            let totals = try Row.fetchOne(
                db,
                sql: "SELECT coalesce(sum(quantity), 0) AS units, count(DISTINCT fr_id) AS frs FROM reservation "
                    + "WHERE source_name = ? AND state = 'held'", arguments: [source])
            let oldest = try Row.fetchOne(
                db,
                sql: """
                    SELECT f.id, f.number, o.updated_at FROM outbox o
                    JOIN fr f ON f.source_name = o.source_name AND f.id = o.fr_id
                    WHERE o.source_name = ? AND o.state = 'done'
                      AND EXISTS (SELECT 1 FROM reservation r
                                  WHERE r.source_name = f.source_name AND r.fr_id = f.id AND r.state = 'held')
                    ORDER BY o.updated_at, f.id LIMIT 1
                    """, arguments: [source])
            return AwaitingShipment(
                units: totals?["units"] ?? 0, frs: totals?["frs"] ?? 0, oldestFRId: oldest?["id"],
                oldestFRNumber: oldest?["number"], oldestAnsweredAt: oldest?["updated_at"])
        }
    }
}
