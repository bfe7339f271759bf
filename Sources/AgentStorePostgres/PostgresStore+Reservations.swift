import AgentStore
import AgentStoreSQL
import Foundation
import FulfillmentCore
import PostgresNIO

/// The stock ledger's moving part: units reserved by answers, until they ship or are released.
extension PostgresStore {
    public func loadLedger() async throws -> StockLedger {
        try await database.read { connection in try await ledger(connection) }
    }

    /// The pool's ledger as this transaction sees it; without its kits when only `fits` is
    /// asked of it (reservations name components already), which saves the write a round trip.
    func ledger(_ connection: PostgresConnection, withKits: Bool = true) async throws -> StockLedger {
        let levels = try await connection.rows(
            "SELECT sku, location, on_hand, cost FROM stock WHERE pool = \(pool)", logger
        ).map {
            StockLevel(
                sku: try $0["sku"].decode(String.self), location: try $0["location"].decode(String.self),
                onHand: try $0["on_hand"].decode(Int.self), cost: try $0["cost"].decode(Double?.self))
        }
        let taken = try await taken(connection).map {
            StockReservation(sku: $0.sku, location: $0.location, quantity: $0.units)
        }
        // Only `fits` is asked of a ledger without its kits, and it ignores stock on its way too.
        guard withKits else { return StockLedger(levels: levels, reservations: taken) }
        let kits = try KitListing.catalog(try await kitListing(connection).kits)
        let inbound = try await inboundListing(connection).rows
        // Promises from arrivals count even when the arrivals are gone: then from the shelf.
        let promised = try await promisedInbound(connection)
        return StockLedger(
            levels: levels, reservations: taken + promised, kits: kits, inbound: inbound,
            countedAt: try await snapshotAsOf(pool, connection))
    }

    /// The pool's units held, and shipped since its count, per SKU, location and state: what
    /// the ledger takes out of the count, and what the stock page shows apart.
    func taken(_ connection: PostgresConnection) async throws -> [StockPosition.Taken] {
        let asOf = try await snapshotAsOf(pool, connection) ?? Date.distantPast
        return try await connection.rows(
            PostgresQuery(unsafeSQL: Self.numbered(SharedSQL.Stock.taken), binds: try Self.binds(asOf, pool)), logger
        ).map {
            StockPosition.Taken(
                sku: try $0["sku"].decode(String.self), location: try $0["location"].decode(String.self),
                state: try .stored(try $0["state"].decode(String.self), column: "reservation.state"),
                units: try $0["units"].decode(Int.self))
        }
    }

    /// The `as_of` of the pool's snapshot in force: the newest import's.
    func snapshotAsOf(_ pool: String, _ connection: PostgresConnection) async throws -> Date? {
        try await connection.value(
            Date.self, "SELECT as_of FROM stock_import WHERE pool = \(pool) ORDER BY id DESC LIMIT 1", logger)
    }

    /// Ends every held reservation of an FR: the units can be promised again.
    func releaseHeld(source: String, frId: Int, reason: String, at now: Date, _ connection: PostgresConnection)
        async throws
    {
        try await connection.run(
            """
            UPDATE reservation SET state = 'released', ended_at = \(now), end_reason = \(reason)
            WHERE source_name = \(source) AND fr_id = \(frId) AND state = 'held'
            """, logger)
    }

    /// Turns up to `quantity` held units of `sku` for an FR into `shipped` at `shippedAt`,
    /// splitting a reservation when only part of it shipped. Returns the units moved.
    @discardableResult
    func shipHeld(
        frId: Int, sku: String, quantity: Int, shippedAt: Date, shipmentId: Int64?, reason: String,
        _ connection: PostgresConnection
    ) async throws -> Int {
        var need = quantity
        let held = try await connection.fetch(
            ReservationRecord.self,
            """
            SELECT * FROM reservation WHERE source_name = \(source) AND fr_id = \(frId) AND sku = \(sku)
              AND state = 'held' ORDER BY id
            """, logger)
        for reservation in held where need > 0 {
            guard let id = reservation.id else { continue }
            let take = min(need, reservation.quantity)
            if take < reservation.quantity {
                try await connection.run(
                    "UPDATE reservation SET quantity = quantity - \(take) WHERE id = \(id)", logger)
                try await connection.run(
                    """
                    INSERT INTO reservation (source_name, fr_id, decision_id, sku, location, quantity, state,
                        ended_at, end_reason, shipment_id, backordered, inbound_at)
                    SELECT source_name, fr_id, decision_id, sku, location, \(take), 'shipped', \(shippedAt),
                        \(reason), \(shipmentId), backordered, inbound_at
                    FROM reservation WHERE id = \(id)
                    """, logger)
            } else {
                try await connection.run(
                    """
                    UPDATE reservation SET state = 'shipped', ended_at = \(shippedAt), end_reason = \(reason),
                        shipment_id = \(shipmentId)
                    WHERE id = \(id)
                    """, logger)
            }
            need -= take
        }
        return quantity - need
    }

    public func heldUnits(frId: Int) async throws -> [String: Int] {
        try await database.read { connection in try await units(frId: frId, state: .held, connection) }
    }

    public func heldUnitsByFR() async throws -> [Int: [String: Int]] {
        try await database.read { connection in
            var out: [Int: [String: Int]] = [:]
            for row in try await connection.rows(
                """
                SELECT fr_id, sku, sum(quantity) AS q FROM reservation WHERE source_name = \(source) AND state = 'held'
                GROUP BY fr_id, sku
                """, logger)
            {
                out[try row["fr_id"].decode(Int.self), default: [:]][try row["sku"].decode(String.self)] =
                    try row["q"].decode(Int.self)
            }
            return out
        }
    }

    /// Units of an FR in a reservation state, per SKU.
    func units(frId: Int, state: ReservationRecord.State, _ connection: PostgresConnection) async throws -> [String:
        Int]
    {
        var out: [String: Int] = [:]
        for row in try await connection.rows(
            """
            SELECT sku, sum(quantity) AS q FROM reservation
            WHERE source_name = \(source) AND fr_id = \(frId) AND state = \(state.rawValue)
            GROUP BY sku
            """, logger)
        {
            out[try row["sku"].decode(String.self)] = try row["q"].decode(Int.self)
        }
        return out
    }

    public func readBackCandidates(answeredBefore: Date, checkedBefore: Date, limit: Int) async throws -> [Int] {
        guard limit > 0 else { return [] }
        return try await database.read { connection in
            try await connection.values(
                Int.self,
                """
                SELECT f.id FROM fr f JOIN outbox o ON o.source_name = f.source_name AND o.fr_id = f.id
                WHERE f.source_name = \(source) AND o.state = 'done' AND o.updated_at < \(answeredBefore)
                  AND (f.checked_at IS NULL OR f.checked_at < \(checkedBefore))
                  AND EXISTS (SELECT 1 FROM reservation r
                              WHERE r.source_name = f.source_name AND r.fr_id = f.id AND r.state = 'held')
                ORDER BY f.checked_at IS NOT NULL, f.checked_at, f.id
                LIMIT \(limit)
                """, logger)
        }
    }

    @discardableResult
    public func applyReadBack(frId: Int, shipped: [String: Int], voided: Bool, at now: Date) async throws -> Int {
        try await writeForSource { connection in
            let before = try await units(frId: frId, state: .held, connection).values.reduce(0, +)
            if voided {
                try await releaseHeld(source: source, frId: frId, reason: "voided upstream", at: now, connection)
            } else {
                let alreadyShipped = try await units(frId: frId, state: .shipped, connection)
                for (sku, units) in shipped.sorted(by: { $0.key < $1.key }) where units > alreadyShipped[sku] ?? 0 {
                    try await shipHeld(
                        frId: frId, sku: sku, quantity: units - (alreadyShipped[sku] ?? 0), shippedAt: now,
                        shipmentId: nil, reason: "shipped in Flxpoint", connection)
                }
            }
            try await connection.run(
                "UPDATE fr SET checked_at = \(now) WHERE source_name = \(source) AND id = \(frId)", logger)
            return before - (try await units(frId: frId, state: .held, connection).values.reduce(0, +))
        }
    }

    public func awaitingShipment() async throws -> AwaitingShipment {
        try await database.read { connection in
            let totals = try await connection.rows(
                """
                SELECT coalesce(sum(quantity), 0) AS units, count(DISTINCT fr_id) AS frs FROM reservation
                WHERE source_name = \(source) AND state = 'held'
                """, logger
            ).first
            let oldest = try await connection.rows(
                """
                SELECT f.id, f.number, o.updated_at FROM outbox o
                JOIN fr f ON f.source_name = o.source_name AND f.id = o.fr_id
                WHERE o.source_name = \(source) AND o.state = 'done'
                  AND EXISTS (SELECT 1 FROM reservation r
                              WHERE r.source_name = f.source_name AND r.fr_id = f.id AND r.state = 'held')
                ORDER BY o.updated_at, f.id LIMIT 1
                """, logger
            ).first
            return AwaitingShipment(
                units: try totals?["units"].decode(Int.self) ?? 0, frs: try totals?["frs"].decode(Int.self) ?? 0,
                oldestFRId: try oldest?["id"].decode(Int.self),
                oldestFRNumber: try oldest?["number"].decode(String?.self),
                oldestAnsweredAt: try oldest?["updated_at"].decode(Date.self))
        }
    }
}
