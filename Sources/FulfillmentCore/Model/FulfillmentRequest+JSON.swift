import Foundation

extension FulfillmentRequest {
    /// Reads an FR from Flxpoint's JSON shape. Only `id`, the items and each item's quantity
    /// are required (docs/flxpoint-api.md); any other field of an unexpected type reads as absent and
    /// is noted in `toleratedFields`. Fields are read in a fixed order, so the first problem
    /// named is always the same one.
    init(json node: JSONNode) throws(FieldError) {
        guard let object = LenientObject(node) else { throw FieldError(path: "", message: "expected an object") }
        try AmbiguousJSON.check(node)
        var tolerated = ToleratedFields()
        let id = try object.requiredInt("id")
        let number = object.string("fulfillmentRequestNumber", &tolerated)
        let orderId = object.int("orderId", &tolerated)
        let sourceId = object.int("sourceId", &tolerated)
        let generatedAt = object.instant("generatedAt", &tolerated)
        let sentAt = object.instant("sentAt", &tolerated)
        let acknowledgedAt = object.instant("acknowledgedAt", &tolerated)
        let voidedAt = object.instant("voidedAt", &tolerated)
        let status =
            if let nested = object.nested("fulfillmentRequestStatus") {
                nested.string("name", &tolerated)
            } else {
                object.string("fulfillmentRequestStatus", &tolerated)
            }
        let shippingMethod = object.string("shippingMethod", &tolerated)
        let carrier = object.string("carrier", &tolerated)
        let note = object.string("note", &tolerated)
        var address: ShippingAddress?
        if let value = object.value("shippingAddress") {
            if let fields = LenientObject(value, path: "shippingAddress", pattern: "shippingAddress") {
                address = ShippingAddress(fields, &tolerated)
            } else {
                tolerated.add("shippingAddress")
            }
        }
        var items: [FulfillmentRequestItem] = []
        for (index, element) in try object.requiredArray("fulfillmentRequestItems").enumerated() {
            items.append(try FulfillmentRequestItem(element, index: index, &tolerated))
        }
        if items.isEmpty {
            throw object.corrupted(
                "fulfillmentRequestItems", "an FR with no lines has nothing to acknowledge or cancel")
        }
        self.init(
            id: id, number: number, orderId: orderId, sourceId: sourceId, generatedAt: generatedAt, sentAt: sentAt,
            acknowledgedAt: acknowledgedAt, voidedAt: voidedAt, status: status, shippingMethod: shippingMethod,
            carrier: carrier, note: note, shippingAddress: address, items: items)
        for name in FlxpointFieldNames.shipBy {
            guard let text = object.string(name, &tolerated) else { continue }
            switch try? Timestamp.parse(text) {
            case .date(let day)?: shipBy = .day(day)
            case .instant(let instant, _)?: shipBy = .instant(instant)
            case nil: tolerated.add(name)
            }
            break
        }
        for name in FlxpointFieldNames.orderNumber {
            if let value = object.string(name, &tolerated) {
                orderNumber = value
                break
            }
        }
        toleratedFields = tolerated.all
    }
}

extension FulfillmentRequestItem {
    init(_ node: JSONNode, index: Int, _ tolerated: inout ToleratedFields) throws(FieldError) {
        guard
            let c = LenientObject(
                node, path: "fulfillmentRequestItems[\(index)]", pattern: "fulfillmentRequestItems[]")
        else { throw FieldError(path: "fulfillmentRequestItems[\(index)]", message: "expected an object") }
        let id = c.int("id", &tolerated)
        let sku = c.string("sku", &tolerated)
        let title = c.string("title", &tolerated)
        let quantity = try c.requiredInt("quantity")
        if quantity < 0 { throw c.corrupted("quantity", "quantity \(quantity) is negative") }
        if quantity > Self.maxQuantity {
            throw c.corrupted("quantity", "quantity \(quantity) is above 1,000,000 units per line")
        }
        let cost = try c.decimal("cost", &tolerated)
        // What Flxpoint says was done to the line: a figure outside what a line can hold would
        // overflow the sums built from it, so the FR is malformed rather than half-believed.
        // A number too large for an integer reads as absent through `int`, so look again.
        func done(_ key: String, _ tolerated: inout ToleratedFields) throws(FieldError) -> Int? {
            let value = c.int(key, &tolerated)
            if let value, (0...Self.maxQuantity).contains(value) { return value }
            guard let shown = value.map({ String($0) }) ?? c.numberText(key) else { return nil }
            throw c.corrupted(key, "\(key) \(shown) is outside 0...1,000,000")
        }
        let acknowledged = try done("acknowledgedQuantity", &tolerated)
        let shipped = try done("shippedQuantity", &tolerated)
        let voided = try done("voidedQuantity", &tolerated)
        self.init(
            id: id, sku: sku, title: title, quantity: quantity, cost: cost, acknowledgedQuantity: acknowledged,
            shippedQuantity: shipped, voidedQuantity: voided,
            inventoryVariantId: c.int("inventoryVariantId", &tolerated),
            orderItemId: c.int("orderItemId", &tolerated), upc: c.string("upc", &tolerated),
            weight: try c.decimal("weight", &tolerated).map { NSDecimalNumber(decimal: $0).doubleValue })
    }
}

extension ShippingAddress {
    init(_ c: LenientObject, _ tolerated: inout ToleratedFields) {
        self.init(
            name: c.string("name", &tolerated), firstName: c.string("firstName", &tolerated),
            lastName: c.string("lastName", &tolerated), companyName: c.string("companyName", &tolerated),
            addressLine1: c.string("addressLine1", &tolerated), addressLine2: c.string("addressLine2", &tolerated),
            city: c.string("city", &tolerated), state: c.string("state", &tolerated),
            stateCode: c.string("stateCode", &tolerated), country: c.string("country", &tolerated),
            countryCode: c.string("countryCode", &tolerated), postal: c.string("postal", &tolerated),
            email: c.string("email", &tolerated), phone: c.string("phone", &tolerated))
    }
}
