import Foundation

extension FulfillmentRequest: Codable {
    private enum Keys: String, CodingKey {
        case id, fulfillmentRequestNumber, orderId, sourceId, generatedAt, sentAt, acknowledgedAt, voidedAt
        case fulfillmentRequestStatus, shippingMethod, carrier, note, shippingAddress, fulfillmentRequestItems
    }

    private enum StatusKeys: String, CodingKey { case name }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: Keys.self)
        id = try c.flexibleInt(forKey: .id)
        number = try c.flexibleString(forKey: .fulfillmentRequestNumber)
        orderId = try c.flexibleIntIfPresent(forKey: .orderId)
        sourceId = try c.flexibleIntIfPresent(forKey: .sourceId)
        generatedAt = try c.instantIfPresent(forKey: .generatedAt)
        sentAt = try c.instantIfPresent(forKey: .sentAt)
        acknowledgedAt = try c.instantIfPresent(forKey: .acknowledgedAt)
        voidedAt = try c.instantIfPresent(forKey: .voidedAt)
        if c.contains(.fulfillmentRequestStatus), try !c.decodeNil(forKey: .fulfillmentRequestStatus) {
            let s = try c.nestedContainer(keyedBy: StatusKeys.self, forKey: .fulfillmentRequestStatus)
            status = try s.flexibleString(forKey: .name)
        }
        shippingMethod = try c.flexibleString(forKey: .shippingMethod)
        carrier = try c.flexibleString(forKey: .carrier)
        note = try c.flexibleString(forKey: .note)
        shippingAddress = try c.decodeIfPresent(ShippingAddress.self, forKey: .shippingAddress)
        items = try c.decodeIfPresent([FulfillmentRequestItem].self, forKey: .fulfillmentRequestItems) ?? []

        let any = try decoder.container(keyedBy: AnyCodingKey.self)
        for name in FlxpointFieldNames.shipBy {
            let key = AnyCodingKey(name)
            guard let text = try any.flexibleString(forKey: key) else { continue }
            do {
                switch try Timestamp.parse(text) {
                case .date(let day): shipBy = .day(day)
                case .instant(let instant, _): shipBy = .instant(instant)
                }
            } catch {
                throw DecodingError.dataCorruptedError(forKey: key, in: any, debugDescription: error.description)
            }
            break
        }
        for name in FlxpointFieldNames.orderNumber {
            if let value = try any.flexibleString(forKey: AnyCodingKey(name)) {
                orderNumber = value
                break
            }
        }
    }

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

extension FulfillmentRequestItem: Codable {
    private enum Keys: String, CodingKey {
        case id, sku, title, quantity, cost, acknowledgedQuantity, shippedQuantity, voidedQuantity
        case inventoryVariantId, orderItemId, upc, weight
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: Keys.self)
        id = try c.flexibleIntIfPresent(forKey: .id)
        sku = try c.flexibleString(forKey: .sku)
        title = try c.flexibleString(forKey: .title)
        quantity = try c.flexibleInt(forKey: .quantity)
        if quantity < 0 {
            throw DecodingError.dataCorruptedError(
                forKey: .quantity, in: c, debugDescription: "quantity \(quantity) is negative")
        }
        cost = try c.flexibleDoubleIfPresent(forKey: .cost)
        acknowledgedQuantity = try c.flexibleIntIfPresent(forKey: .acknowledgedQuantity)
        shippedQuantity = try c.flexibleIntIfPresent(forKey: .shippedQuantity)
        voidedQuantity = try c.flexibleIntIfPresent(forKey: .voidedQuantity)
        inventoryVariantId = try c.flexibleIntIfPresent(forKey: .inventoryVariantId)
        orderItemId = try c.flexibleIntIfPresent(forKey: .orderItemId)
        upc = try c.flexibleString(forKey: .upc)
        weight = try c.flexibleDoubleIfPresent(forKey: .weight)
    }

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

extension ShippingAddress: Codable {
    private enum Keys: String, CodingKey {
        case name, firstName, lastName, companyName, addressLine1, addressLine2, city, state, stateCode
        case country, countryCode, postal, email, phone
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: Keys.self)
        name = try c.flexibleString(forKey: .name)
        firstName = try c.flexibleString(forKey: .firstName)
        lastName = try c.flexibleString(forKey: .lastName)
        companyName = try c.flexibleString(forKey: .companyName)
        addressLine1 = try c.flexibleString(forKey: .addressLine1)
        addressLine2 = try c.flexibleString(forKey: .addressLine2)
        city = try c.flexibleString(forKey: .city)
        state = try c.flexibleString(forKey: .state)
        stateCode = try c.flexibleString(forKey: .stateCode)
        country = try c.flexibleString(forKey: .country)
        countryCode = try c.flexibleString(forKey: .countryCode)
        postal = try c.flexibleString(forKey: .postal)
        email = try c.flexibleString(forKey: .email)
        phone = try c.flexibleString(forKey: .phone)
    }

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
