import Foundation

/// One SKU at one location as the console's stock page shows it: the last count, what is
/// held for acknowledged FRs, what shipped since the count, what is free, and the figure last
/// pushed to Flxpoint for the SKU.
public struct StockPosition: Sendable, Equatable {
    public var sku: String
    public var location: String
    /// On hand as of the last count (0 when the count does not list it).
    public var counted: Int
    /// Held for acknowledged FRs not shipped yet (backorders included).
    public var held: Int
    /// Shipped since the count was taken.
    public var shipped: Int
    /// The quantity last pushed to Flxpoint for the SKU (all locations), and when.
    public var pushed: Int?
    public var pushedAt: Date?

    public init(
        sku: String, location: String, counted: Int, held: Int = 0, shipped: Int = 0, pushed: Int? = nil,
        pushedAt: Date? = nil
    ) {
        self.sku = sku
        self.location = location
        self.counted = counted
        self.held = held
        self.shipped = shipped
        self.pushed = pushed
        self.pushedAt = pushedAt
    }

    /// What the agent may still promise here: the count less what is held and shipped since.
    public var free: Int { max(0, counted - held - shipped) }

    /// Units of one SKU at one location held or shipped since the count.
    public struct Taken: Sendable {
        public var sku: String
        public var location: String
        public var state: ReservationRecord.State
        public var units: Int

        public init(sku: String, location: String, state: ReservationRecord.State, units: Int) {
            self.sku = sku
            self.location = location
            self.state = state
            self.units = units
        }
    }

    /// The positions from the three queries' rows, by SKU and location.
    public static func combine(
        counted: [(sku: String, location: String, units: Int)], taken: [Taken],
        pushed: [String: (quantity: Int, at: Date)]
    ) -> [StockPosition] {
        struct Key: Hashable {
            var sku: String
            var location: String
        }
        var out: [Key: StockPosition] = [:]
        for row in counted {
            out[Key(sku: row.sku, location: row.location)] = StockPosition(
                sku: row.sku, location: row.location, counted: row.units)
        }
        for row in taken {
            let key = Key(sku: row.sku, location: row.location)
            var position = out[key] ?? StockPosition(sku: row.sku, location: row.location, counted: 0)
            if row.state == .held { position.held += row.units } else { position.shipped += row.units }
            out[key] = position
        }
        for key in out.keys {
            if let figure = pushed[key.sku] {
                out[key]?.pushed = figure.quantity
                out[key]?.pushedAt = figure.at
            }
        }
        return out.values.sorted { ($0.sku, $0.location) < ($1.sku, $1.location) }
    }
}
