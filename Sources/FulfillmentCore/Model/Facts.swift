import Foundation

/// Everything a rule can ask about one FR, computed before the rules run.
///
/// The rule engine reads only this and the FR itself, so a decision can be reproduced
/// later from what the decision log stored.
public struct Facts: Sendable, Equatable, Codable {
    public var now: Date
    /// One entry per FR line, in line order.
    public var lines: [LineFacts]
    public var address: AddressFacts
    public var stock: StockFacts
    public var ship: ShipFacts

    public init(now: Date, lines: [LineFacts], address: AddressFacts, stock: StockFacts, ship: ShipFacts) {
        self.now = now
        self.lines = lines
        self.address = address
        self.stock = stock
        self.ship = ship
    }
}

/// Per-line stock facts.
public struct LineFacts: Sendable, Equatable, Codable {
    /// Units this FR can promise for the line: on hand − reserved − safety stock, never below 0,
    /// after earlier lines of the same FR with the same SKU took theirs.
    public var available: Int

    public init(available: Int) { self.available = available }
}

/// The ship-to address after offline normalisation and checks.
public struct AddressFacts: Sendable, Equatable, Codable {
    /// ISO 3166-1 alpha-2.
    public var country: String?
    /// Upper-cased subdivision code where known (US, CA), else the text as sent.
    public var state: String?
    public var postal: String?
    public var city: String?
    /// Stable problem codes, empty when the address looks deliverable.
    public var problems: [String]
    public var poBox: Bool
    public var military: Bool
    public var domestic: Bool

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

    public var valid: Bool { problems.isEmpty }
}

/// Whole-FR stock facts from the chosen stock plan.
public struct StockFacts: Sendable, Equatable, Codable {
    public var coversAll: Bool
    public var coversAny: Bool
    public var fillRate: Double
    public var missingUnits: Int
    public var locationsNeeded: Int

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
    public var earliest: Date
    public var meetsShipBy: Bool
    public var daysLate: Int

    public init(earliest: Date, meetsShipBy: Bool, daysLate: Int) {
        self.earliest = earliest
        self.meetsShipBy = meetsShipBy
        self.daysLate = daysLate
    }
}
