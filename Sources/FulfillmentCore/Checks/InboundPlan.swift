import Foundation

/// What stock on its way could add to an FR: per line, the units landing early enough for
/// the FR to ship by its ship-by (receiving and the calendar counted), and when the FR could
/// ship complete. Made only when the pool has stock on its way.
public struct InboundPlan: Sendable, Equatable, Codable {
    /// One FR line's share of the arrivals.
    public struct Line: Sendable, Equatable, Codable {
        /// Units arriving in time for the ship-by, beyond what the shelf promises.
        public var inTime: Int
        /// The arrivals those units come from.
        public var arrivals: [Take]
        /// When the line could ship complete (its shelf units now, the rest as they arrive);
        /// nil when what is on its way cannot complete it.
        public var readyAt: Date?
    }

    /// Units taken from one arrival.
    public struct Take: Sendable, Equatable, Codable {
        /// Where the arrival lands.
        public var location: String
        /// When it is expected.
        public var expectedAt: Date
        /// Units of it this line takes.
        public var quantity: Int
        /// The first instant they can leave: the arrival, then receiving and the calendar.
        public var shipsAt: Date
    }

    /// One entry per FR line, in order.
    public var lines: [Line]
    /// Every unit is on the shelf or lands in time.
    public var coversAllInTime: Bool
    /// When the FR could ship complete; nil when it cannot be completed from what is on its way.
    public var readyAt: Date?

    /// Units of every line that land in time.
    public var inTime: Int { lines.reduce(0) { $0 + $1.inTime } }

    /// The plan for `fr` given its shelf plan: each short line takes from its SKU's arrivals,
    /// earliest first, what earlier lines of the FR left. Kit lines take nothing from inbound.
    public static func plan(
        _ fr: FulfillmentRequest, shelf: StockPlan, ledger: StockLedger, calendar: WarehouseCalendar, now: Date
    ) -> InboundPlan {
        let nowShips = calendar.shipFacts(now: now, shipBy: fr.shipBy).earliest
        var left: [String: [StockLedger.Arrival]] = [:]
        var lines: [Line] = []
        for line in shelf.lines {
            let short = line.quantity - line.promised
            guard short > 0, let sku = line.sku, line.components == nil else {
                lines.append(Line(inTime: 0, arrivals: [], readyAt: short > 0 ? nil : nowShips))
                continue
            }
            if left[sku] == nil { left[sku] = ledger.arrivals(of: sku) }
            var need = short
            var inTime = 0
            var takes: [Take] = []
            var readyAt = nowShips
            for index in left[sku]!.indices where need > 0 {
                let arrival = left[sku]![index]
                let take = min(need, arrival.free)
                guard take > 0 else { continue }
                let ship = calendar.shipFacts(now: max(now, arrival.expectedAt), shipBy: fr.shipBy)
                left[sku]![index].free -= take
                need -= take
                readyAt = max(readyAt, ship.earliest)
                // Only units that make the ship-by can be promised; later ones only say when.
                if ship.meetsShipBy {
                    inTime += take
                    takes.append(
                        Take(
                            location: arrival.location, expectedAt: arrival.expectedAt, quantity: take,
                            shipsAt: ship.earliest))
                }
            }
            lines.append(Line(inTime: inTime, arrivals: takes, readyAt: need == 0 ? readyAt : nil))
        }
        let covers = zip(shelf.lines, lines).allSatisfy { $0.promised + $1.inTime >= $0.quantity }
        let ready = lines.allSatisfy { $0.readyAt != nil } ? lines.compactMap(\.readyAt).max() ?? nowShips : nil
        return InboundPlan(lines: lines, coversAllInTime: covers, readyAt: ready)
    }
}
