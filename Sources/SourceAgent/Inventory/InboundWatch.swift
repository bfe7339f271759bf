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
        return slips(
            promises, frs: frs(of: promises), ledger: try await database.loadLedger(), calendar: calendar, now: now)
    }

    /// The slipped ones among `promises`, for a caller that has them, their FRs and the ledger
    /// already (the stock page, the report): nothing is read twice.
    public static func slips(
        _ promises: [InboundPromise], frs: [Int: FulfillmentRequest], ledger: StockLedger,
        calendar: WarehouseCalendar, now: Date
    ) -> [InboundSlip] {
        // An FR whose stored JSON no longer reads is quarantined elsewhere; it has no ship-by to check here.
        let read = promises.compactMap { promise in
            frs[promise.frId].map { (fr: $0, reservation: promise.reservation) }
        }
        return InboundSlip.find(read, ledger: ledger, calendar: calendar, now: now)
    }

    /// The FRs of `promises` as last read, each decoded once however many promises it holds.
    public static func frs(of promises: [InboundPromise]) -> [Int: FulfillmentRequest] {
        var out: [Int: FulfillmentRequest] = [:]
        for promise in promises where out[promise.frId] == nil {
            out[promise.frId] = try? FRListDecoder.decodeOne(text: promise.frJSON)
        }
        return out
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
