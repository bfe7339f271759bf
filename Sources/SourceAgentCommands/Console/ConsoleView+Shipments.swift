import AgentStore
import Foundation
import FulfillmentCore
import SourceAgent

/// The shipments page: the latest shipments and what waits to ship.
extension ConsoleView {
    /// Shipments shown on the shipments page, newest first.
    static let shipmentsShown = 200

    /// The latest shipments with their outcome and the file each came from, and the upload form.
    func shipments(person: ConsoleAccess.Person, source: SourceRuntime) async throws -> [String: Any] {
        let zone = await source.rules.current.calendar.timeZone
        var context = base(
            title: sources.count > 1 ? "Shipments: \(source.name)" : "Shipments", person: person, source: source)
        let recent = try await source.database.shipments(frId: nil, newest: Self.shipmentsShown)
        context["rows"] = recent.map { shipment -> [String: Any] in
            [
                "frId": shipment.frId, "tracking": shipment.trackingNumber, "carrier": shipment.carrier ?? "",
                "units": shipment.units, "shipped": Self.localTime(shipment.shippedAt, zone: zone),
                "state": shipment.state.rawValue, "error": shipment.lastError ?? "", "from": shipment.source,
            ]
        }
        let awaiting = try await source.database.awaitingShipment()
        context["awaiting"] =
            "\(awaiting.units) unit(s) of \(awaiting.frs) acknowledged FR(s) not shipped yet"
            + (awaiting.oldestAnsweredAt.map { ", the oldest answered \(StatusCommand.ago($0))" } ?? "")
        return context
    }
}
