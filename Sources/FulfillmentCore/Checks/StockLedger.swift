import Foundation

/// On-hand and reserved units per SKU and location: the stock state one cycle decides against.
///
/// A value type: the agent loads it, decides FRs oldest first, and each decision's
/// reservations are applied before the next FR is planned, so no unit is promised twice.
public struct StockLedger: Sendable, Equatable {
    /// SKU → location → units on hand.
    public private(set) var onHand: [String: [String: Int]] = [:]
    /// SKU → location → units reserved by earlier decisions.
    public private(set) var reserved: [String: [String: Int]] = [:]
    /// The pool's kits: a line for one is promised from its components. They live with the
    /// stock, not in the rule file, so one rule file serves pools with different kits.
    public var kits: KitCatalog = .empty
    /// SKU → expected arrivals not yet counted, earliest first (`StockLedger+Inbound.swift`).
    var arrivals: [String: [Arrival]] = [:]
    /// When the count was taken (its `as_of`): arrivals due before it are in it.
    public private(set) var countedAt: Date?

    /// A `StockLedger` from its parts.
    public init() {}

    /// A `StockLedger` from its parts.
    public init(
        levels: [StockLevel], reservations: [StockReservation] = [], kits: KitCatalog = .empty,
        inbound: [InboundStock] = [], countedAt: Date? = nil
    ) {
        self.kits = kits
        self.countedAt = countedAt
        for level in levels { onHand[level.sku, default: [:]][level.location, default: 0] += level.onHand }
        for r in reservations where r.inboundAt == nil {
            reserve(sku: r.sku, location: r.location, quantity: r.quantity)
        }
        addInbound(inbound, countedAt: countedAt, promised: reservations)
    }

    /// Takes `quantity` units at `location` out of what is free.
    public mutating func reserve(sku: String, location: String, quantity: Int) {
        guard quantity != 0 else { return }
        reserved[sku, default: [:]][location, default: 0] += quantity
    }

    /// Units at `location` not yet reserved (never negative).
    public func free(sku: String, location: String) -> Int {
        max(0, (onHand[sku]?[location] ?? 0) - (reserved[sku]?[location] ?? 0))
    }

    /// Locations holding the SKU, plus those it is reserved at.
    public func locations(of sku: String) -> Set<String> {
        Set((onHand[sku] ?? [:]).keys).union((reserved[sku] ?? [:]).keys)
    }

    /// Units of a SKU that new FRs may be promised, across locations, after safety stock:
    /// what the planner works from and what inventory push sends.
    public func promisable(sku: String, safetyStock: Int) -> Int {
        max(0, locations(of: sku).reduce(0) { $0 + free(sku: sku, location: $1) } - safetyStock)
    }

    /// Units of `sku` new FRs may be promised: for a kit, the kits its components' promisable
    /// units build (each component keeping its safety stock); what inventory push sends.
    public func sellable(sku: String, safetyStock: Int) -> Int {
        guard kits.isKit(sku) else { return promisable(sku: sku, safetyStock: safetyStock) }
        return kits.buildable(sku) { promisable(sku: $0, safetyStock: safetyStock) }
    }

    /// Every SKU the ledger can sell: those it counts or holds, and its kits.
    public var sellableSKUs: Set<String> { skus.union(kits.kits.map(\.sku)) }

    /// Whether every reservation taken from the shelf fits in what is free, each after the
    /// ones before it: the check a shared store makes under the pool's lock before it writes a
    /// decision. A backorder is beyond what is free by design, so it is not asked to fit.
    public func fits(_ reservations: [StockReservation]) -> Bool {
        var ledger = self
        for r in reservations {
            // A backorder, or a promise from stock on its way, takes nothing from the shelf now.
            guard r.backordered || r.inboundAt != nil || ledger.free(sku: r.sku, location: r.location) >= r.quantity
            else { return false }
            ledger.take([r])
        }
        return true
    }

    /// Reserves every one of `reservations`.
    public mutating func take(_ reservations: [StockReservation]) {
        for r in reservations {
            if let from = r.inboundAt {
                // What no arrival holds any more was counted since: it comes off the shelf.
                let left = takeInbound(sku: r.sku, location: r.location, quantity: r.quantity, from: from)
                reserve(sku: r.sku, location: r.location, quantity: left)
            } else {
                reserve(sku: r.sku, location: r.location, quantity: r.quantity)
            }
        }
    }

    /// Every SKU the ledger knows, on hand or reserved.
    public var skus: Set<String> { Set(onHand.keys).union(reserved.keys) }

    /// Units reserved across locations.
    public func totalReserved(sku: String) -> Int { reserved[sku]?.values.reduce(0, +) ?? 0 }
}

/// One row of stock: units on hand of a SKU at a location.
public struct StockLevel: Sendable, Equatable, Codable {
    /// The SKU counted.
    public var sku: String
    /// Where it was counted.
    public var location: String
    /// Units on the shelf when counted.
    public var onHand: Int
    /// Unit cost, when the file gives one.
    public var cost: Double?

    /// A `StockLevel` from its parts.
    public init(sku: String, location: String, onHand: Int, cost: Double? = nil) {
        self.sku = sku
        self.location = location
        self.onHand = onHand
        self.cost = cost
    }
}

/// Units held for an FR line at a location.
public struct StockReservation: Sendable, Equatable, Codable {
    /// The SKU reserved.
    public var sku: String
    /// Where the units are taken from.
    public var location: String
    /// Units reserved.
    public var quantity: Int
    /// Acknowledged beyond what was free (`acknowledge` short of stock): the units are owed,
    /// not taken from the shelf. Written only when true, so older decisions read the same.
    public var backordered: Bool
    /// Promised from stock on its way (`from: inbound`): when the arrival it is taken from is
    /// expected. Until that arrival is counted its units come out of the inbound quantity,
    /// after it out of the shelf's. Written only when set.
    public var inboundAt: Date?

    /// A `StockReservation` from its parts.
    public init(sku: String, location: String, quantity: Int, backordered: Bool = false, inboundAt: Date? = nil) {
        self.sku = sku
        self.location = location
        self.quantity = quantity
        self.backordered = backordered
        self.inboundAt = inboundAt
    }

    private enum CodingKeys: String, CodingKey { case backordered, inboundAt, location, quantity, sku }

    /// Reads one, `backordered` false when absent (decisions logged before it existed).
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        sku = try container.decode(String.self, forKey: .sku)
        location = try container.decode(String.self, forKey: .location)
        quantity = try container.decode(Int.self, forKey: .quantity)
        backordered = try container.decodeIfPresent(Bool.self, forKey: .backordered) ?? false
        inboundAt = try container.decodeIfPresent(Date.self, forKey: .inboundAt)
    }

    /// Writes one; `backordered` only when true.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        if backordered { try container.encode(true, forKey: .backordered) }
        try container.encodeIfPresent(inboundAt, forKey: .inboundAt)
        try container.encode(location, forKey: .location)
        try container.encode(quantity, forKey: .quantity)
        try container.encode(sku, forKey: .sku)
    }
}
