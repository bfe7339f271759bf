import Foundation

/// Everything a rule can ask about one FR, computed before the rules run.
///
/// The rule engine reads only this and the FR itself, so a decision can be reproduced
/// later from what the decision log stored.
public struct Facts: Sendable, Equatable, Codable {
    /// The instant the FR is decided at (the injected clock).
    public var now: Date
    /// One entry per FR line, in line order.
    public var lines: [LineFacts]
    /// The `address.*` facts.
    public var address: AddressFacts
    /// The `stock.*` facts, from the stock plan.
    public var stock: StockFacts
    /// The `ship.*` facts, from the warehouse calendar.
    public var ship: ShipFacts
    /// What stock on its way adds (`item.inbound_in_time`, `stock.covers_all_in_time`,
    /// `stock.ready_at`); nil when the pool has none, and then not logged.
    public var inbound: InboundPlan?

    /// A `Facts` from its parts.
    public init(
        now: Date, lines: [LineFacts], address: AddressFacts, stock: StockFacts, ship: ShipFacts,
        inbound: InboundPlan? = nil
    ) {
        self.now = now
        self.lines = lines
        self.address = address
        self.stock = stock
        self.ship = ship
        self.inbound = inbound
    }
}

/// Per-line stock facts.
public struct LineFacts: Sendable, Equatable, Codable {
    /// Units this FR can promise for the line: on hand − reserved − safety stock, never below 0,
    /// after earlier lines of the same FR with the same SKU took theirs.
    public var available: Int

    /// A `LineFacts` from its parts.
    public init(available: Int) { self.available = available }
}

/// The ship-to address after offline normalisation and checks.
public struct AddressFacts: Sendable, Equatable, Codable {
    /// ISO 3166-1 alpha-2.
    public var country: String?
    /// Upper-cased subdivision code where known (US, CA), else the text as sent.
    public var state: String?
    /// The postal code as given.
    public var postal: String?
    /// The city as given.
    public var city: String?
    /// Stable problem codes, empty when the address looks deliverable.
    public var problems: [String]
    /// The street lines name a PO box.
    public var poBox: Bool
    /// An APO/FPO/DPO address.
    public var military: Bool
    /// The country is the warehouse's.
    public var domestic: Bool

    /// A `AddressFacts` from its parts.
    public init(
        country: String?, state: String?, postal: String?, city: String?, problems: [String], poBox: Bool,
        military: Bool, domestic: Bool
    ) {
        self.country = country
        self.state = state
        self.postal = postal
        self.city = city
        self.problems = problems
        self.poBox = poBox
        self.military = military
        self.domestic = domestic
    }

    /// No problem was found.
    public var valid: Bool { problems.isEmpty }
}

/// Whole-FR stock facts from the chosen stock plan.
public struct StockFacts: Sendable, Equatable, Codable {
    /// Every line can be filled from stock.
    public var coversAll: Bool
    /// At least one unit of some line can be filled.
    public var coversAny: Bool
    /// Share of ordered units that can be filled, 0 to 1.
    public var fillRate: Double
    /// Ordered units stock cannot fill.
    public var missingUnits: Int
    /// Locations the plan ships from.
    public var locationsNeeded: Int

    /// A `StockFacts` from its parts.
    public init(coversAll: Bool, coversAny: Bool, fillRate: Double, missingUnits: Int, locationsNeeded: Int) {
        self.coversAll = coversAll
        self.coversAny = coversAny
        self.fillRate = fillRate
        self.missingUnits = missingUnits
        self.locationsNeeded = locationsNeeded
    }
}

/// Ship calendar facts.
public struct ShipFacts: Sendable, Equatable, Codable {
    /// The earliest instant it can leave: the next pickup after handling days on ship days.
    public var earliest: Date
    /// It can leave by its ship-by day (true when it has none).
    public var meetsShipBy: Bool
    /// Ship days it would be late by; 0 when on time.
    public var daysLate: Int

    /// A `ShipFacts` from its parts.
    public init(earliest: Date, meetsShipBy: Bool, daysLate: Int) {
        self.earliest = earliest
        self.meetsShipBy = meetsShipBy
        self.daysLate = daysLate
    }
}
