import AgentStore
import Foundation
import FulfillmentCore
import SourceAgent

/// The shipments page: the latest shipments and what waits to ship.
extension ConsoleView {
    /// Shipments shown on the shipments page, newest first.
    static let shipmentsShown = 200

    /// Tracking files and late FRs listed.
    static let filesShown = 50
    static let lateShown = 500

    /// The tracking files imported with their outcome and refused rows, the FRs acknowledged
    /// and not shipped after `days` (2 by default, the report's figure), the latest shipments
    /// with the file each came from, and the upload form.
    func shipments(query: [String: String], person: ConsoleAccess.Person, source: SourceRuntime, now: Date)
        async throws -> [String: Any]
    {
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
        context["files"] = try await source.database.trackingFiles(limit: Self.filesShown).map {
            file -> [String: Any] in
            var summary = "\(file.sent) sent, \(file.alreadySent) already sent, \(file.rejected) rejected"
            if file.waiting > 0 { summary += ", \(file.waiting) waiting for Flxpoint" }
            return [
                "at": Self.localTime(file.at, zone: zone), "name": file.name, "origin": file.origin,
                "actor": file.actor ?? "", "summary": summary,
                "problems": file.problems.split(separator: "\n").map(String.init),
            ]
        }
        let days = min(max(Int(query["days"] ?? "") ?? 2, 0), 365)
        let late = try await source.database.notShipped(
            answeredBefore: now.addingTimeInterval(-Double(days) * 86_400), limit: Self.lateShown)
        context["lateDays"] = days
        context["lateCount"] = late.count == Self.lateShown ? "\(late.count)+" : "\(late.count)"
        context["late"] = late.map { fr -> [String: Any] in
            [
                "frId": fr.frId, "name": fr.number ?? "#\(fr.frId)",
                "acknowledged": Self.localTime(fr.answeredAt, zone: zone), "units": fr.units,
            ]
        }
        let awaiting = try await source.database.awaitingShipment()
        context["awaiting"] =
            "\(awaiting.units) unit(s) of \(awaiting.frs) acknowledged FR(s) not shipped yet"
            + (awaiting.oldestAnsweredAt.map { ", the oldest answered \(ago($0))" } ?? "")
        return context
    }
}
