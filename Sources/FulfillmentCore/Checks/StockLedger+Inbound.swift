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
        /// Units expected.
        public var quantity: Int
    }

    /// Adds the arrivals in `inbound` expected after `countedAt` (those before it are in the
    /// count), then takes from them what `reservations` promised from inbound. A promise whose
    /// arrival was due before the count is taken from the shelf, so nothing is counted twice; one
    /// whose arrival moved (a new file) follows the SKU's other arrivals, the shelf after them.
    mutating func addInbound(_ inbound: [InboundStock], countedAt: Date?, promised reservations: [StockReservation]) {
        for row in inbound where countedAt.map({ row.expectedAt > $0 }) ?? true {
            arrivals[row.sku, default: []].append(
                Arrival(location: row.location, expectedAt: row.expectedAt, free: row.quantity, quantity: row.quantity))
        }
        for sku in arrivals.keys { arrivals[sku]!.sort { ($0.expectedAt, $0.location) < ($1.expectedAt, $1.location) } }
        for r in reservations {
            guard let from = r.inboundAt else { continue }
            if let countedAt, from <= countedAt {
                reserve(sku: r.sku, location: r.location, quantity: r.quantity)
            } else {
                take([r])
            }
        }
    }

    /// Stock on its way replaced by `inbound`, every arrival taken as not yet landed (a dry
    /// run's file). Promises the ledger already held from the old arrivals are not carried
    /// over to the new ones: it is meant for a ledger made from a stock file.
    public mutating func replaceInbound(_ inbound: [InboundStock]) {
        arrivals = [:]
        addInbound(inbound, countedAt: nil, promised: [])
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

    /// Every arrival of `sku` not yet counted, promised or not, earliest first.
    public func allArrivals(of sku: String) -> [Arrival] { arrivals[sku] ?? [] }

    /// Whether any stock is on its way: without it, no inbound fact is computed.
    public var hasInbound: Bool { !arrivals.isEmpty }
}
