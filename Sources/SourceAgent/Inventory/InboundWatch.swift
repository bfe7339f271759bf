import AgentStore
import Foundation
import FulfillmentCore

/// Looks, after each cycle and after each inbound import, for promises made from stock on its
/// way whose arrival moved past their FR's ship-by: such an FR is alerted (once) rather than
/// found late.
public enum InboundWatch {
    /// The source's slipped promises now, one per reservation, in the order they were promised.
    public static func slips(_ database: any SourceStore, calendar: WarehouseCalendar, now: Date) async throws
        -> [InboundSlip]
    {
        let promises = try await database.inboundPromises()
        guard !promises.isEmpty else { return [] }
        let ledger = try await database.loadLedger()
        // An FR whose stored JSON no longer reads is quarantined elsewhere; it has no ship-by to check here.
        let read = promises.compactMap { promise in
            (try? FRListDecoder.decodeOne(text: promise.frJSON)).map { (fr: $0, reservation: promise.reservation) }
        }
        return InboundSlip.find(read, ledger: ledger, calendar: calendar, now: now)
    }

    /// Alerts each slipped FR (the alert store keeps one per FR) and returns the slips.
    @discardableResult
    public static func alert(
        _ database: any SourceStore, alerts: Alerts, calendar: WarehouseCalendar, now: Date
    ) async throws -> [InboundSlip] {
        let found = try await slips(database, calendar: calendar, now: now)
        for slip in found {
            await alerts.raise(
                .inboundSlipped, frId: slip.frId, frNumber: slip.frName,
                message: slip.text(zone: calendar.timeZone, naming: false))
        }
        return found
    }
}
