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

    /// The shipments page: files imported, FRs not shipped, the latest shipments.
    struct Shipments: Sendable {
        var rows: [FRPage.Shipment]
        var files: [File]
        var lateDays: Int
        var lateCount: String
        var late: [Late]
        var awaiting: String
        var oldestAnswered: Moment?

        /// A tracking file imported.
        struct File: Sendable {
            var at: String
            var name: String
            var origin: String
            var actor: String?
            var summary: String
            var problems: [String]
        }

        /// An FR acknowledged and not shipped.
        struct Late: Sendable {
            var frId: Int
            var name: String
            var acknowledged: String
            var units: Int
        }
    }

    /// The tracking files imported with their outcome and refused rows, the FRs acknowledged
    /// and not shipped after `days` (2 by default, the report's figure), the latest shipments
    /// with the file each came from, and the upload form.
    func shipments(query: [String: String], person: ConsoleAccess.Person, source: SourceRuntime, now: Date)
        async throws -> Shown
    {
        let zone = await source.rules.current.calendar.timeZone
        let recent = try await source.database.shipments(frId: nil, newest: Self.shipmentsShown)
        let files = try await source.database.trackingFiles(limit: Self.filesShown).map { file in
            var summary = "\(file.sent) sent, \(file.alreadySent) already sent, \(file.rejected) rejected"
            if file.waiting > 0 { summary += ", \(file.waiting) waiting for Flxpoint" }
            return Shipments.File(
                at: Self.localTime(file.at, zone: zone), name: file.name, origin: file.origin,
                actor: file.actor.flatMap { $0.isEmpty ? nil : $0 }, summary: summary,
                problems: file.problems.split(separator: "\n").map(String.init))
        }
        let days = min(max(Int(query["days"] ?? "") ?? 2, 0), 365)
        let late = try await source.database.notShipped(
            answeredBefore: now.addingTimeInterval(-Double(days) * 86_400), limit: Self.lateShown)
        let awaiting = try await source.database.awaitingShipment()
        let page = Shipments(
            rows: recent.map { Self.shipmentRow($0, zone: zone) }, files: files, lateDays: days,
            lateCount: late.count == Self.lateShown ? "\(late.count)+" : "\(late.count)",
            late: late.map { fr in
                Shipments.Late(
                    frId: fr.frId, name: fr.number ?? "#\(fr.frId)",
                    acknowledged: Self.localTime(fr.answeredAt, zone: zone), units: fr.units)
            },
            awaiting: "\(awaiting.units) unit(s) of \(awaiting.frs) acknowledged FR(s) not shipped yet",
            oldestAnswered: awaiting.oldestAnsweredAt.map { ago($0, zone: zone) })
        let title = sources.count > 1 ? "Shipments: \(source.name)" : "Shipments"
        return Shown(.shipments, frame(title: title, person: person, source: source), page)
    }
}
