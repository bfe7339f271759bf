import Foundation

/// Shipments from the tracking import, until Flxpoint has them.
public protocol ShipmentStore: Sendable {
    /// The FR a tracking file names by id or number, or nil when this agent never saw it.
    func shippableFR(_ key: String) async throws -> ShippableFR?
    /// The sources that have seen an FR with this number (or id): a tracking file without a
    /// `source` column must name an FR only one of them knows.
    func sourcesKnowing(frKey key: String) async throws -> [String]
    /// A shipment already recorded for this FR and tracking number.
    func shipment(frId: Int, trackingNumber: String) async throws -> ShipmentRecord?
    /// Records a shipment and turns its units' reservations into `shipped`, in one
    /// transaction. Returns the existing row instead when the FR already has this tracking
    /// number, so importing a file twice creates nothing new.
    func recordShipment(_ shipment: ShipmentRecord, units: [String: Int]) async throws -> (
        record: ShipmentRecord, isNew: Bool
    )
    /// Shipments recorded but not yet confirmed by Flxpoint, oldest first.
    func pendingShipments() async throws -> [ShipmentRecord]
    /// Counts a send before it starts; after a crash the next run lists the FR's shipments first.
    func markShipmentAttempt(_ id: Int64, at now: Date) async throws
    /// Ends a shipment row: done, failed (with the reason), or still pending with the last error.
    func finishShipment(_ id: Int64, state: ShipmentRecord.State, error: String?, at now: Date) async throws
    /// Every shipment row of one FR (nil: of every FR), oldest first; with `newest`, only that
    /// many of the latest, newest first.
    func shipments(frId: Int?, newest: Int?) async throws -> [ShipmentRecord]
    /// FRs acknowledged (the answer confirmed) before `answeredBefore` with no shipment sent,
    /// the longest waiting first, at most `limit`: the report's "acknowledged, not shipped".
    func notShipped(answeredBefore: Date, limit: Int) async throws -> [NotShippedFR]
}

extension ShipmentStore {
    /// Every shipment row, oldest first.
    public func shipments() async throws -> [ShipmentRecord] { try await shipments(frId: nil, newest: nil) }

    /// Every shipment row of one FR, oldest first.
    public func shipments(frId: Int) async throws -> [ShipmentRecord] { try await shipments(frId: frId, newest: nil) }
}
