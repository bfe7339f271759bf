// Wire: the shapes Flxpoint's endpoints take and return, beyond the FR itself.

/// Body of `POST /fulfillment-requests/{id}/adjust`: the line-level answer for a split or a cancel.
public struct AdjustRequest: Sendable, Equatable, Codable {
    /// One FR line's answer: units acknowledged and cancelled.
    public struct Item: Sendable, Equatable, Codable {
        /// FR item id; wins over `sku` and is required when a SKU repeats.
        public var id: Int?
        public var sku: String?
        public var acknowledgedQuantity: Int
        public var cancelledQuantity: Int

        public init(id: Int?, sku: String?, acknowledgedQuantity: Int, cancelledQuantity: Int) {
            self.id = id
            self.sku = sku
            self.acknowledgedQuantity = acknowledgedQuantity
            self.cancelledQuantity = cancelledQuantity
        }
    }

    public var items: [Item]
    /// `fill` releases cancelled units to other sources; `kill` cancels them at order level.
    public var killOrFillType: String
    public var cancelUnacknowledgedItemQuantity: Bool

    public init(items: [Item], killOrFillType: String, cancelUnacknowledgedItemQuantity: Bool = false) {
        self.items = items
        self.killOrFillType = killOrFillType
        self.cancelUnacknowledgedItemQuantity = cancelUnacknowledgedItemQuantity
    }

    private enum Keys: String, CodingKey { case items, killOrFillType, cancelUnacknowledgedItemQuantity }

    /// Optional fields take Flxpoint's defaults: `fill`, and no blanket cancel.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: Keys.self)
        items = try c.decode([Item].self, forKey: .items)
        killOrFillType = try c.decodeIfPresent(String.self, forKey: .killOrFillType) ?? "fill"
        cancelUnacknowledgedItemQuantity =
            try c.decodeIfPresent(Bool.self, forKey: .cancelUnacknowledgedItemQuantity) ?? false
    }
}
