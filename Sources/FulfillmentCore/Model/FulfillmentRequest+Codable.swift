import Foundation

extension FulfillmentRequest: Codable {
    private enum Keys: String, CodingKey {
        case id, fulfillmentRequestNumber, orderId, sourceId, generatedAt, sentAt, acknowledgedAt, voidedAt
        case fulfillmentRequestStatus, shippingMethod, carrier, note, shippingAddress, fulfillmentRequestItems
    }

    private enum StatusKeys: String, CodingKey { case name }

    /// Only `id`, the items and each item's quantity are required (SOURCE-API.md): any other
    /// field of an unexpected type reads as absent and is noted in `toleratedFields`.
    public init(from decoder: any Decoder) throws {
        let tolerated = decoder.userInfo[ToleratedFields.key] as? ToleratedFields
        let c = try decoder.container(keyedBy: Keys.self)
        id = try c.flexibleInt(forKey: .id)
        number = c.lenientString(forKey: .fulfillmentRequestNumber, tolerated)
        orderId = c.lenientInt(forKey: .orderId, tolerated)
        sourceId = c.lenientInt(forKey: .sourceId, tolerated)
        generatedAt = c.lenientInstant(forKey: .generatedAt, tolerated)
        sentAt = c.lenientInstant(forKey: .sentAt, tolerated)
        acknowledgedAt = c.lenientInstant(forKey: .acknowledgedAt, tolerated)
        voidedAt = c.lenientInstant(forKey: .voidedAt, tolerated)
        if let s = try? c.nestedContainer(keyedBy: StatusKeys.self, forKey: .fulfillmentRequestStatus) {
            status = s.lenientString(forKey: .name, tolerated)
        } else {
            status = c.lenientString(forKey: .fulfillmentRequestStatus, tolerated)
        }
        shippingMethod = c.lenientString(forKey: .shippingMethod, tolerated)
        carrier = c.lenientString(forKey: .carrier, tolerated)
        note = c.lenientString(forKey: .note, tolerated)
        if c.contains(.shippingAddress), (try? c.decodeNil(forKey: .shippingAddress)) == false {
            shippingAddress = try? c.decode(ShippingAddress.self, forKey: .shippingAddress)
            if shippingAddress == nil { tolerated?.add(c.codingPath + [Keys.shippingAddress]) }
        }
        items = try c.decode([FulfillmentRequestItem].self, forKey: .fulfillmentRequestItems)
        if items.isEmpty {
            throw DecodingError.dataCorruptedError(
                forKey: .fulfillmentRequestItems, in: c,
                debugDescription: "an FR with no lines has nothing to acknowledge or cancel")
        }

        let any = try decoder.container(keyedBy: AnyCodingKey.self)
        for name in FlxpointFieldNames.shipBy {
            let key = AnyCodingKey(name)
            guard let text = any.lenientString(forKey: key, tolerated) else { continue }
            switch try? Timestamp.parse(text) {
            case .date(let day)?: shipBy = .day(day)
            case .instant(let instant, _)?: shipBy = .instant(instant)
            case nil: tolerated?.add(any.codingPath + [key])
            }
            break
        }
        for name in FlxpointFieldNames.orderNumber {
            if let value = any.lenientString(forKey: AnyCodingKey(name), tolerated) {
                orderNumber = value
                break
            }
        }
        toleratedFields = tolerated?.all ?? []
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
        let tolerated = decoder.userInfo[ToleratedFields.key] as? ToleratedFields
        id = c.lenientInt(forKey: .id, tolerated)
        sku = c.lenientString(forKey: .sku, tolerated)
        title = c.lenientString(forKey: .title, tolerated)
        quantity = try c.flexibleInt(forKey: .quantity)
        if quantity < 0 {
            throw DecodingError.dataCorruptedError(
                forKey: .quantity, in: c, debugDescription: "quantity \(quantity) is negative")
        }
        if quantity > Self.maxQuantity {
            throw DecodingError.dataCorruptedError(
                forKey: .quantity, in: c, debugDescription: "quantity \(quantity) is above 1,000,000 units per line")
        }
        cost = c.lenientDecimal(forKey: .cost, tolerated)
        // What Flxpoint says was done to the line: a figure outside what a line can hold would
        // overflow the sums built from it, so the FR is malformed rather than half-believed.
        // A number too large for an integer reads as absent through `lenientInt`, so look again.
        func done(_ key: Keys) throws -> Int? {
            let value = c.lenientInt(forKey: key, tolerated)
            if let value, (0...Self.maxQuantity).contains(value) { return value }
            let shown: String
            if let value {
                shown = String(value)
            } else if let number = try? c.decode(Double.self, forKey: key) {
                shown = String(number)
            } else {
                return nil
            }
            throw DecodingError.dataCorruptedError(
                forKey: key, in: c, debugDescription: "\(key.stringValue) \(shown) is outside 0...1,000,000")
        }
        acknowledgedQuantity = try done(.acknowledgedQuantity)
        shippedQuantity = try done(.shippedQuantity)
        voidedQuantity = try done(.voidedQuantity)
        inventoryVariantId = c.lenientInt(forKey: .inventoryVariantId, tolerated)
        orderItemId = c.lenientInt(forKey: .orderItemId, tolerated)
        upc = c.lenientString(forKey: .upc, tolerated)
        weight = c.lenientDecimal(forKey: .weight, tolerated).map { NSDecimalNumber(decimal: $0).doubleValue }
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
        let tolerated = decoder.userInfo[ToleratedFields.key] as? ToleratedFields
        name = c.lenientString(forKey: .name, tolerated)
        firstName = c.lenientString(forKey: .firstName, tolerated)
        lastName = c.lenientString(forKey: .lastName, tolerated)
        companyName = c.lenientString(forKey: .companyName, tolerated)
        addressLine1 = c.lenientString(forKey: .addressLine1, tolerated)
        addressLine2 = c.lenientString(forKey: .addressLine2, tolerated)
        city = c.lenientString(forKey: .city, tolerated)
        state = c.lenientString(forKey: .state, tolerated)
        stateCode = c.lenientString(forKey: .stateCode, tolerated)
        country = c.lenientString(forKey: .country, tolerated)
        countryCode = c.lenientString(forKey: .countryCode, tolerated)
        postal = c.lenientString(forKey: .postal, tolerated)
        email = c.lenientString(forKey: .email, tolerated)
        phone = c.lenientString(forKey: .phone, tolerated)
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
