import Foundation

/// A promise made from an arrival that no longer lands in time for its FR: the arrival moved
/// (a new inbound file) past the FR's ship-by, or is gone. Never left to be found late.
public struct InboundSlip: Sendable, Equatable {
    /// The FR promised.
    public var frId: Int
    /// Its number, for people.
    public var frName: String
    /// The units, where, and the arrival they were promised from.
    public var reservation: StockReservation
    /// When the SKU's next arrival at that location is expected now; nil when none is.
    public var nowExpected: Date?

    /// One line for a person: "FR-1: 2 × MUG promised from the arrival of Mon 2026-11-30 at
    /// dallas, now expected Wed 2026-12-02: it misses the FR's ship-by"; without the FR's name
    /// where the alert names it already.
    public func text(zone: TimeZone, naming: Bool = true) -> String {
        let promised = reservation.inboundAt.map { HumanTime.day($0, zone: zone) } ?? "?"
        let now = nowExpected.map { "now expected \(HumanTime.day($0, zone: zone))" } ?? "no longer expected"
        return (naming ? "\(frName): " : "")
            + "\(reservation.quantity) × \(reservation.sku) promised from the arrival of \(promised) at "
            + "\(reservation.location), \(now): it misses the FR's ship-by"
    }

    /// The promises among `promises` (FR, units held from an arrival) whose arrival is neither
    /// counted, nor still expected when promised, nor replaced by one that lands in time.
    public static func find(
        _ promises: [(fr: FulfillmentRequest, reservation: StockReservation)], ledger: StockLedger,
        calendar: WarehouseCalendar, now: Date
    ) -> [InboundSlip] {
        let countedAt = ledger.countedAt
        return promises.compactMap { fr, reservation -> InboundSlip? in
            guard let promised = reservation.inboundAt else { return nil }
            // Received by the count: on the shelf now.
            if let countedAt, promised <= countedAt { return nil }
            let arrivals = ledger.allArrivals(of: reservation.sku).filter { $0.location == reservation.location }
            if arrivals.contains(where: { $0.expectedAt == promised }) { return nil }
            let next = arrivals.first?.expectedAt
            if let next, calendar.shipFacts(now: max(now, next), shipBy: fr.shipBy).meetsShipBy { return nil }
            return InboundSlip(frId: fr.id, frName: fr.displayName, reservation: reservation, nowExpected: next)
        }
    }
}
