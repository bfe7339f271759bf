import Foundation

/// Stock on its way: arrivals not yet counted, which only a rule saying `from: inbound` may
/// promise, and never as on hand.
extension StockLedger {
    /// One expected arrival of a SKU at a location: units still unpromised.
    public struct Arrival: Sendable, Equatable {
        /// Where it lands.
        public var location: String
        /// When it is expected.
        public var expectedAt: Date
        /// Units of it no FR has been promised yet.
        public var free: Int
    }

    /// Adds the arrivals in `inbound` expected after `countedAt` (those before it are in the
    /// count), then takes from them what `reservations` promised from inbound; a promise whose
    /// arrival has been counted since is taken from the shelf instead, so nothing is counted twice.
    mutating func addInbound(_ inbound: [InboundStock], countedAt: Date?, promised reservations: [StockReservation]) {
        for row in inbound where countedAt.map({ row.expectedAt > $0 }) ?? true {
            arrivals[row.sku, default: []].append(
                Arrival(location: row.location, expectedAt: row.expectedAt, free: row.quantity))
        }
        for sku in arrivals.keys { arrivals[sku]!.sort { ($0.expectedAt, $0.location) < ($1.expectedAt, $1.location) } }
        take(reservations.filter { $0.inboundAt != nil })
    }

    /// Takes up to `quantity` units of `sku` at `location` from its arrivals, the one expected
    /// at `from` first, then earliest first; returns what no arrival had.
    @discardableResult
    mutating func takeInbound(sku: String, location: String, quantity: Int, from: Date) -> Int {
        guard var list = arrivals[sku] else { return quantity }
        var need = quantity
        // The promised arrival first (its own date), then the rest earliest first.
        let here = list.indices.filter { list[$0].location == location }
        let order = here.filter { list[$0].expectedAt == from } + here.filter { list[$0].expectedAt != from }
        for index in order where need > 0 {
            let take = min(need, list[index].free)
            list[index].free -= take
            need -= take
        }
        arrivals[sku] = list
        return need
    }

    /// The arrivals of `sku` with units still free, earliest first.
    public func arrivals(of sku: String) -> [Arrival] { (arrivals[sku] ?? []).filter { $0.free > 0 } }

    /// Whether any stock is on its way: without it, no inbound fact is computed.
    public var hasInbound: Bool { !arrivals.isEmpty }
}
