import AgentStore
import Foundation
import FulfillmentCore
import GRDB

extension AgentDatabase {
    /// The FR a tracking file names by id or number, or nil when this agent never saw it.
    public func shippableFR(_ key: String) async throws -> ShippableFR? {
        try await writer.read { [source] db in
            var record = try FRRecord.fetchOne(
                db, sql: "SELECT * FROM fr WHERE source_name = ? AND number = ? LIMIT 1", arguments: [source, key])
            if record == nil, let id = Int(key) {
                record = try FRRecord.fetchOne(
                    db, sql: "SELECT * FROM fr WHERE source_name = ? AND id = ?", arguments: [source, id])
            }
            guard let record else { return nil }
            let live = try Self.liveAnswer(db, source: source, frId: record.id)
            let (answer, state) = (live?.decision, live?.state)
            return ShippableFR(
                frJSON: record.rawJSON,
                answeredLines: try answer.map { try Self.decode([LineAnswer].self, $0.linesJSON) } ?? [],
                answerState: state.flatMap(OutboxRecord.State.init(rawValue:)),
                held: try Self.units(db, source: source, frId: record.id, state: .held),
                shipped: try Self.units(db, source: source, frId: record.id, state: .shipped),
                kits: DecisionBasis.kits(inBasis: answer?.factsJSON))
        }
    }

    /// The sources that have seen an FR with this number (or id): a tracking file without a
    /// `source` column must name an FR only one of them knows.
    public func sourcesKnowing(frKey key: String) async throws -> [String] {
        try await writer.read { db in
            try String.fetchAll(
                db, sql: "SELECT DISTINCT source_name FROM fr WHERE number = ? OR id = ? ORDER BY source_name",
                arguments: [key, Int(key) ?? -1])
        }
    }

    /// A shipment already recorded for this FR and tracking number.
    public func shipment(frId: Int, trackingNumber: String) async throws -> ShipmentRecord? {
        try await writer.read { [source] db in
            try Self.shipment(db, source: source, frId: frId, trackingNumber: trackingNumber)
        }
    }

    static func shipment(_ db: Database, source: String, frId: Int, trackingNumber: String) throws -> ShipmentRecord? {
        try ShipmentRecord.fetchOne(
            db, sql: "SELECT * FROM shipment WHERE source_name = ? AND fr_id = ? AND tracking_number = ?",
            arguments: [source, frId, trackingNumber])
    }

    /// Records a shipment and turns its units' reservations into `shipped`, in one
    /// transaction. Returns the existing row instead when the FR already has this tracking
    /// number, so importing a file twice creates nothing new.
    public func recordShipment(_ shipment: ShipmentRecord, units: [String: Int]) async throws -> (
        record: ShipmentRecord, isNew: Bool
    ) {
        try await writer.write { [source] db in
            if let existing = try Self.shipment(
                db, source: source, frId: shipment.frId, trackingNumber: shipment.trackingNumber)
            {
                return (existing, false)
            }
            var row = shipment
            row.sourceName = source
            try row.insert(db)
            for (sku, quantity) in units.sorted(by: { $0.key < $1.key }) {
                try Self.shipHeld(
                    db, source: source, frId: row.frId, sku: sku, quantity: quantity, shippedAt: row.shippedAt,
                    shipmentId: row.id,
                    reason: "tracking import")
            }
            return (row, true)
        }
    }

    /// Shipments recorded but not yet confirmed by Flxpoint, oldest first.
    public func pendingShipments() async throws -> [ShipmentRecord] {
        try await writer.read { [source] db in
            try ShipmentRecord.fetchAll(
                db, sql: "SELECT * FROM shipment WHERE source_name = ? AND state = 'pending' ORDER BY id",
                arguments: [source])
        }
    }

    /// Counts a send before it starts; after a crash the next run lists the FR's shipments first.
    public func markShipmentAttempt(_ id: Int64, at now: Date) async throws {
        try await writer.write { db in
            try db.execute(
                sql: "UPDATE shipment SET attempts = attempts + 1, updated_at = ? WHERE id = ?", arguments: [now, id])
        }
    }

    /// Ends a shipment row: done, failed (with the reason), or still pending with the last error.
    public func finishShipment(_ id: Int64, state: ShipmentRecord.State, error: String?, at now: Date) async throws {
        try await writer.write { db in
            try db.execute(
                sql: "UPDATE shipment SET state = ?, last_error = ?, updated_at = ? WHERE id = ?",
                arguments: [state.rawValue, error, now, id])
        }
    }

    /// Every shipment row of one FR or of all, oldest first, or the `newest` few newest first.
    public func shipments(frId: Int?, newest: Int?) async throws -> [ShipmentRecord] {
        try await writer.read { [source] db in
            var arguments: StatementArguments = [source, frId, frId]
            if let newest { arguments += [newest] }
            return try ShipmentRecord.fetchAll(
                db,
                sql: "SELECT * FROM shipment WHERE source_name = ? AND (? IS NULL OR fr_id = ?) "
                    + (newest == nil ? "ORDER BY id" : "ORDER BY id DESC LIMIT ?"),
                arguments: arguments)
        }
    }
}
