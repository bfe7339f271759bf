/// An inventory variant: Flxpoint's id for a SKU, needed to update its quantity.
public struct InventoryVariant: Sendable, Equatable, Codable {
    public var inventoryVariantId: Int
    public var sku: String
    public var quantity: Int?
    public var cost: Double?

    public init(inventoryVariantId: Int, sku: String, quantity: Int? = nil, cost: Double? = nil) {
        self.inventoryVariantId = inventoryVariantId
        self.sku = sku
        self.quantity = quantity
        self.cost = cost
    }

    private enum Keys: String, CodingKey { case id, inventoryVariantId, sku, quantity, cost }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: Keys.self)
        if let id = try c.decodeIfPresent(Int.self, forKey: .inventoryVariantId) {
            inventoryVariantId = id
        } else {
            inventoryVariantId = try c.decode(Int.self, forKey: .id)
        }
        sku = try c.decode(String.self, forKey: .sku)
        quantity = try c.decodeIfPresent(Int.self, forKey: .quantity)
        cost = try c.decodeIfPresent(Double.self, forKey: .cost)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: Keys.self)
        try c.encode(inventoryVariantId, forKey: .inventoryVariantId)
        try c.encode(sku, forKey: .sku)
        try c.encodeIfPresent(quantity, forKey: .quantity)
        try c.encodeIfPresent(cost, forKey: .cost)
    }
}

/// One entry of `PUT /inventory/variants` (at most 50 per request).
public struct InventoryUpdate: Sendable, Equatable, Codable {
    public var inventoryVariantId: Int
    public var sku: String
    public var quantity: Int
    public var cost: Double?

    public init(inventoryVariantId: Int, sku: String, quantity: Int, cost: Double? = nil) {
        self.inventoryVariantId = inventoryVariantId
        self.sku = sku
        self.quantity = quantity
        self.cost = cost
    }
}
