import AgentStore
import Foundation
import FulfillmentCore
import PostgresNIO

/// Shipments from the tracking import, until Flxpoint has them.
extension PostgresStore {
    public func shippableFR(_ key: String) async throws -> ShippableFR? {
        try await database.read { connection in
            var record = try await connection.fetch(
                FRRecord.self, "SELECT * FROM fr WHERE source_name = \(source) AND number = \(key) LIMIT 1", logger
            ).first
            if record == nil, let id = Int(key) {
                record = try await connection.fetch(
                    FRRecord.self, "SELECT * FROM fr WHERE source_name = \(source) AND id = \(id)", logger
                ).first
            }
            guard let record else { return nil }
            let live = try await liveAnswer(frId: record.id, connection)
            return ShippableFR(
                frJSON: record.rawJSON,
                answeredLines: try live.map { try StoredJSON.decode([LineAnswer].self, $0.decision.linesJSON) }
                    ?? [],
                answerState: live?.state.flatMap(OutboxRecord.State.init(rawValue:)),
                held: try await units(frId: record.id, state: .held, connection),
                shipped: try await units(frId: record.id, state: .shipped, connection),
                kits: DecisionBasis.kits(inBasis: live?.decision.factsJSON))
        }
    }

    public func sourcesKnowing(frKey key: String) async throws -> [String] {
        try await database.read { connection in
            try await connection.values(
                String.self,
                """
                SELECT DISTINCT source_name FROM fr WHERE number = \(key) OR id = \(Int(key) ?? -1)
                ORDER BY source_name
                """, logger)
        }
    }

    public func shipment(frId: Int, trackingNumber: String) async throws -> ShipmentRecord? {
        try await database.read { connection in
            try await shipment(frId: frId, trackingNumber: trackingNumber, connection)
        }
    }

    private func shipment(frId: Int, trackingNumber: String, _ connection: PostgresConnection) async throws
        -> ShipmentRecord?
    {
        try await connection.fetch(
            ShipmentRecord.self,
            """
            SELECT * FROM shipment WHERE source_name = \(source) AND fr_id = \(frId)
              AND tracking_number = \(trackingNumber)
            """, logger
        ).first
    }

    public func recordShipment(_ shipment: ShipmentRecord, units: [String: Int]) async throws -> (
        record: ShipmentRecord, isNew: Bool
    ) {
        try await writeForSource { connection in
            if let existing = try await self.shipment(
                frId: shipment.frId, trackingNumber: shipment.trackingNumber, connection)
            {
                return (existing, false)
            }
            var row = shipment
            row.sourceName = source
            row.id = try await connection.value(
                Int64.self,
                """
                INSERT INTO shipment (source_name, fr_id, tracking_number, carrier, method, shipped_at, body_json,
                    units, source, state, attempts, last_error, created_at, updated_at)
                VALUES (\(source), \(row.frId), \(row.trackingNumber.storable), \(row.carrier?.storable),
                    \(row.method?.storable), \(row.shippedAt), \(row.bodyJSON), \(row.units), \(row.source.storable),
                    \(row.state.rawValue), \(row.attempts), \(row.lastError), \(row.createdAt), \(row.updatedAt))
                RETURNING id
                """, logger)
            for (sku, quantity) in units.sorted(by: { $0.key < $1.key }) {
                try await shipHeld(
                    frId: row.frId, sku: sku, quantity: quantity, shippedAt: row.shippedAt, shipmentId: row.id,
                    reason: "tracking import", connection)
            }
            return (row, true)
        }
    }

    public func pendingShipments() async throws -> [ShipmentRecord] {
        try await database.read { connection in
            try await connection.fetch(
                ShipmentRecord.self,
                "SELECT * FROM shipment WHERE source_name = \(source) AND state = 'pending' ORDER BY id", logger)
        }
    }

    public func markShipmentAttempt(_ id: Int64, at now: Date) async throws {
        try await writeForSource { connection in
            try await connection.run(
                "UPDATE shipment SET attempts = attempts + 1, updated_at = \(now) WHERE id = \(id)", logger)
        }
    }

    public func finishShipment(_ id: Int64, state: ShipmentRecord.State, error: String?, at now: Date) async throws {
        try await writeForSource { connection in
            try await connection.run(
                """
                UPDATE shipment SET state = \(state.rawValue), last_error = \(error?.storable), updated_at = \(now)
                WHERE id = \(id)
                """, logger)
        }
    }

    public func shipments(frId: Int?, newest: Int?) async throws -> [ShipmentRecord] {
        try await database.read { connection in
            if let newest {
                return try await connection.fetch(
                    ShipmentRecord.self,
                    """
                    SELECT * FROM shipment WHERE source_name = \(source) AND (\(frId)::bigint IS NULL OR fr_id = \(frId))
                    ORDER BY id DESC LIMIT \(newest)
                    """, logger)
            }
            return try await connection.fetch(
                ShipmentRecord.self,
                """
                SELECT * FROM shipment WHERE source_name = \(source) AND (\(frId)::bigint IS NULL OR fr_id = \(frId))
                ORDER BY id
                """, logger)
        }
    }
}
