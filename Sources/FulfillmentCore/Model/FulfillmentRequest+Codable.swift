import Foundation

/// Flxpoint's JSON shape for an FR, as the sandbox serves it; reading goes through `FRListDecoder`.
extension FulfillmentRequest: Encodable {
    private enum Keys: String, CodingKey {
        case id, fulfillmentRequestNumber, orderId, sourceId, generatedAt, sentAt, acknowledgedAt, voidedAt
        case fulfillmentRequestStatus, shippingMethod, carrier, note, shippingAddress, fulfillmentRequestItems
    }

    private enum StatusKeys: String, CodingKey { case name }

    /// Writes the value in its JSON form.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: Keys.self)
        try c.encode(id, forKey: .id)
        try c.encodeIfPresent(number, forKey: .fulfillmentRequestNumber)
        try c.encodeIfPresent(orderId, forKey: .orderId)
        try c.encodeIfPresent(sourceId, forKey: .sourceId)
        try c.encodeIfPresent(generatedAt.map(Timestamp.utcString), forKey: .generatedAt)
        try c.encodeIfPresent(sentAt.map(Timestamp.utcString), forKey: .sentAt)
        try c.encode(acknowledgedAt.map(Timestamp.utcString), forKey: .acknowledgedAt)
        try c.encode(voidedAt.map(Timestamp.utcString), forKey: .voidedAt)
        if let status {
            var s = c.nestedContainer(keyedBy: StatusKeys.self, forKey: .fulfillmentRequestStatus)
            try s.encode(status, forKey: .name)
        }
        try c.encodeIfPresent(shippingMethod, forKey: .shippingMethod)
        try c.encodeIfPresent(carrier, forKey: .carrier)
        try c.encodeIfPresent(note, forKey: .note)
        try c.encodeIfPresent(shippingAddress, forKey: .shippingAddress)
        try c.encode(items, forKey: .fulfillmentRequestItems)
        var any = encoder.container(keyedBy: AnyCodingKey.self)
        try any.encodeIfPresent(shipBy?.description, forKey: AnyCodingKey(FlxpointFieldNames.shipBy[0]))
        try any.encodeIfPresent(orderNumber, forKey: AnyCodingKey(FlxpointFieldNames.orderNumber[0]))
    }
}

extension FulfillmentRequestItem: Encodable {
    private enum Keys: String, CodingKey {
        case id, sku, title, quantity, cost, acknowledgedQuantity, shippedQuantity, voidedQuantity
        case inventoryVariantId, orderItemId, upc, weight
    }

    /// Writes the value in its JSON form.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: Keys.self)
        try c.encodeIfPresent(id, forKey: .id)
        try c.encodeIfPresent(sku, forKey: .sku)
        try c.encodeIfPresent(title, forKey: .title)
        try c.encode(quantity, forKey: .quantity)
        try c.encodeIfPresent(cost, forKey: .cost)
        try c.encode(acknowledgedQuantity ?? 0, forKey: .acknowledgedQuantity)
        try c.encode(shippedQuantity ?? 0, forKey: .shippedQuantity)
        try c.encode(voidedQuantity ?? 0, forKey: .voidedQuantity)
        try c.encodeIfPresent(inventoryVariantId, forKey: .inventoryVariantId)
        try c.encodeIfPresent(orderItemId, forKey: .orderItemId)
        try c.encodeIfPresent(upc, forKey: .upc)
        try c.encodeIfPresent(weight, forKey: .weight)
    }
}

extension ShippingAddress: Encodable {
    private enum Keys: String, CodingKey {
        case name, firstName, lastName, companyName, addressLine1, addressLine2, city, state, stateCode
        case country, countryCode, postal, email, phone
    }

    /// Writes the value in its JSON form.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: Keys.self)
        try c.encode(name, forKey: .name)
        try c.encode(firstName, forKey: .firstName)
        try c.encode(lastName, forKey: .lastName)
        try c.encode(companyName, forKey: .companyName)
        try c.encode(addressLine1, forKey: .addressLine1)
        try c.encode(addressLine2, forKey: .addressLine2)
        try c.encode(city, forKey: .city)
        try c.encode(state, forKey: .state)
        try c.encode(stateCode, forKey: .stateCode)
        try c.encode(country, forKey: .country)
        try c.encode(countryCode, forKey: .countryCode)
        try c.encode(postal, forKey: .postal)
        try c.encode(email, forKey: .email)
        try c.encode(phone, forKey: .phone)
    }
}
