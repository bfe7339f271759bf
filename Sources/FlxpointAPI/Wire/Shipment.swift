/// Body of `POST /shipments`.
public struct ShipmentCreateRequest: Sendable, Equatable, Codable {
    public var fulfillmentRequestId: Int
    /// False makes a retried create safe: the same tracking number is accepted once per FR.
    public var allowDuplicateTrackingNumbers: Bool
    public var shipment: ShipmentBody

    public init(fulfillmentRequestId: Int, shipment: ShipmentBody, allowDuplicateTrackingNumbers: Bool = false) {
        self.fulfillmentRequestId = fulfillmentRequestId
        self.allowDuplicateTrackingNumbers = allowDuplicateTrackingNumbers
        self.shipment = shipment
    }
}

/// The shipment inside a create request, and the shape Flxpoint lists shipments in.
public struct ShipmentBody: Sendable, Equatable, Codable {
    public var trackingNumber: String
    public var carrier: String?
    public var method: String?
    /// ISO 8601 with a zone.
    public var shippedAt: String?
    public var trackingUrl: String?
    public var shippingCost: Double?
    public var shipmentItems: [ShipmentItem]

    public init(
        trackingNumber: String, carrier: String?, method: String?, shippedAt: String?, trackingUrl: String? = nil,
        shippingCost: Double? = nil, shipmentItems: [ShipmentItem]
    ) {
        self.trackingNumber = trackingNumber
        self.carrier = carrier
        self.method = method
        self.shippedAt = shippedAt
        self.trackingUrl = trackingUrl
        self.shippingCost = shippingCost
        self.shipmentItems = shipmentItems
    }
}

/// One line of a shipment. A create sends `sku` and `quantity`, plus `orderItemId` where the
/// FR gave one; `fulfillmentRequestItemId` is not a create field and appears only in listings.
public struct ShipmentItem: Sendable, Equatable, Codable {
    public var sku: String
    public var quantity: Int
    public var orderItemId: Int?
    public var fulfillmentRequestItemId: Int?

    public init(sku: String, quantity: Int, orderItemId: Int? = nil, fulfillmentRequestItemId: Int? = nil) {
        self.sku = sku
        self.quantity = quantity
        self.orderItemId = orderItemId
        self.fulfillmentRequestItemId = fulfillmentRequestItemId
    }

    private enum Keys: String, CodingKey { case sku, quantity, orderItemId, fulfillmentRequestItemId }

    /// Tolerant of a listing that leaves out the SKU: reconciliation matches shipments by
    /// tracking number, so one odd item must not make the whole list unreadable.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: Keys.self)
        sku = try c.decodeIfPresent(String.self, forKey: .sku) ?? ""
        quantity = try c.decode(Int.self, forKey: .quantity)
        orderItemId = try c.decodeIfPresent(Int.self, forKey: .orderItemId)
        fulfillmentRequestItemId = try c.decodeIfPresent(Int.self, forKey: .fulfillmentRequestItemId)
    }
}

/// A shipment as listed by `GET /shipments`.
public struct Shipment: Sendable, Equatable, Codable {
    public var id: Int
    public var fulfillmentRequestId: Int
    public var trackingNumber: String
    public var carrier: String?
    public var method: String?
    public var shippedAt: String?
    public var shipmentItems: [ShipmentItem]

    public init(
        id: Int, fulfillmentRequestId: Int, trackingNumber: String, carrier: String?, method: String?,
        shippedAt: String?, shipmentItems: [ShipmentItem]
    ) {
        self.id = id
        self.fulfillmentRequestId = fulfillmentRequestId
        self.trackingNumber = trackingNumber
        self.carrier = carrier
        self.method = method
        self.shippedAt = shippedAt
        self.shipmentItems = shipmentItems
    }
}
