// Model: the FR in Flxpoint's shape, decoding it strictly, and the facts the rules see.

import Foundation
import Synchronization

/// A fulfillment request as Flxpoint sends it to a Source.
///
/// Only `id` and each item's `quantity` are required; everything else is optional because
/// the public API documents little and live responses vary. Unknown fields are ignored.
public struct FulfillmentRequest: Sendable, Equatable {
    /// Flxpoint's id for the FR, unique within one account.
    public var id: Int
    /// The FR number people see, e.g. `FR-70001`.
    public var number: String?
    /// Flxpoint's id for the order behind the FR.
    public var orderId: Int?
    /// Flxpoint's id for the Source (this account).
    public var sourceId: Int?
    /// When Flxpoint created the FR; FRs are decided oldest first by it.
    public var generatedAt: Date?
    /// When Flxpoint sent it to the Source.
    public var sentAt: Date?
    /// When it was acknowledged, if it was.
    public var acknowledgedAt: Date?
    /// When it was voided upstream, if it was: it is then answered no more.
    public var voidedAt: Date?
    /// The day it must ship by, in whichever field Flxpoint filled.
    public var shipBy: ShipBy?
    /// Flxpoint's status, e.g. `Processing`.
    public var status: String?
    /// The shipping method the retailer chose.
    public var shippingMethod: String?
    /// The carrier the retailer chose.
    public var carrier: String?
    /// The retailer's note on the order.
    public var note: String?
    /// The retailer's order number.
    public var orderNumber: String?
    /// Where to ship.
    public var shippingAddress: ShippingAddress?
    /// The lines: SKU and quantity each.
    public var items: [FulfillmentRequestItem] {
        didSet { totals = Totals(items) }
    }
    /// Units and value, summed once: rules ask for them on every evaluation, and decimal sums are slow.
    private var totals: Totals
    /// Optional fields that came with an unexpected type and were read as absent (JSON
    /// paths, lines as `[]`), so the agent can log each once. Not part of the FR's JSON.
    public var toleratedFields: [String] {
        get { decodeNotes.fields }
        set { decodeNotes.fields = newValue }
    }
    var decodeNotes = DecodeNotes()

    /// A `FulfillmentRequest` from its parts.
    public init(
        id: Int, number: String? = nil, orderId: Int? = nil, sourceId: Int? = nil, generatedAt: Date? = nil,
        sentAt: Date? = nil, acknowledgedAt: Date? = nil, voidedAt: Date? = nil, shipBy: ShipBy? = nil,
        status: String? = nil, shippingMethod: String? = nil, carrier: String? = nil, note: String? = nil,
        orderNumber: String? = nil, shippingAddress: ShippingAddress? = nil, items: [FulfillmentRequestItem]
    ) {
        self.id = id
        self.number = number
        self.orderId = orderId
        self.sourceId = sourceId
        self.generatedAt = generatedAt
        self.sentAt = sentAt
        self.acknowledgedAt = acknowledgedAt
        self.voidedAt = voidedAt
        self.shipBy = shipBy
        self.status = status
        self.shippingMethod = shippingMethod
        self.carrier = carrier
        self.note = note
        self.orderNumber = orderNumber
        self.shippingAddress = shippingAddress
        self.items = items
        totals = Totals(items)
    }

    /// When the FR came into being: `generatedAt`, else `sentAt`. FRs are decided oldest first.
    public var createdAt: Date? { generatedAt ?? sentAt }

    /// Total units over all lines.
    public var units: Int { totals.units }

    /// Sum of line cost × quantity, exactly; a line without a cost counts as zero.
    public var value: Decimal { totals.value }

    /// The FR number when known, else the id: what a person recognises in logs and tables.
    public var displayName: String { number ?? "#\(id)" }
}

/// Sums over an FR's lines, kept with them: units at once, the value on first use (a
/// decimal sum costs microseconds, and only rules that name `fr.value` need it). Copies of
/// an FR share the box until their lines change. How the sums were cached is not what the FR
/// says, so any two boxes are equal.
final class Totals: Sendable, Equatable {
    let units: Int
    private let items: [FulfillmentRequestItem]
    private let cachedValue = Mutex<Decimal?>(nil)

    init(_ items: [FulfillmentRequestItem]) {
        self.items = items
        units = items.reduce(0) { $0 + $1.quantity }
    }

    var value: Decimal {
        if let known = cachedValue.withLock({ $0 }) { return known }
        let value = items.reduce(Decimal(0)) { $0 + ($1.cost ?? 0) * Decimal($1.quantity) }
        cachedValue.withLock { $0 = value }
        return value
    }

    static func == (_: Totals, _: Totals) -> Bool { true }
}

/// How an FR was read, not what it says: two FRs with the same content are equal however
/// they were decoded.
struct DecodeNotes: Sendable, Equatable {
    var fields: [String] = []

    static func == (_: DecodeNotes, _: DecodeNotes) -> Bool { true }
}

/// The date an FR must ship by: a whole day in the warehouse zone, or an exact instant.
public enum ShipBy: Sendable, Equatable, CustomStringConvertible {
    case day(LocalDate)
    case instant(Date)

    /// The text shown in messages and logs.
    public var description: String {
        switch self {
        case .day(let day): return day.description
        case .instant(let date): return Timestamp.utcString(date)
        }
    }
}

/// One line of an FR.
public struct FulfillmentRequestItem: Sendable, Equatable {
    /// Flxpoint's id for the line; an answer names lines by it.
    public var id: Int?
    /// The SKU; stock is looked up by it.
    public var sku: String?
    /// The product's title.
    public var title: String?
    /// Units ordered.
    public var quantity: Int
    /// Exact: read from the JSON number's digits, never through binary floating point.
    public var cost: Decimal?
    /// Units already acknowledged in Flxpoint.
    public var acknowledgedQuantity: Int?
    /// Units already shipped in Flxpoint.
    public var shippedQuantity: Int?
    /// Units voided upstream.
    public var voidedQuantity: Int?
    /// Flxpoint's inventory variant for the SKU.
    public var inventoryVariantId: Int?
    /// Flxpoint's id for the order line.
    public var orderItemId: Int?
    /// The product's UPC.
    public var upc: String?
    /// The line's weight, as Flxpoint gives it.
    public var weight: Double?

    /// More units on one line than any real order has: the FR is malformed, not decided.
    public static let maxQuantity = 1_000_000

    /// A `FulfillmentRequestItem` from its parts.
    public init(
        id: Int? = nil, sku: String? = nil, title: String? = nil, quantity: Int, cost: Decimal? = nil,
        acknowledgedQuantity: Int? = nil, shippedQuantity: Int? = nil, voidedQuantity: Int? = nil,
        inventoryVariantId: Int? = nil, orderItemId: Int? = nil, upc: String? = nil, weight: Double? = nil
    ) {
        self.id = id
        self.sku = sku
        self.title = title
        self.quantity = quantity
        self.cost = cost
        self.acknowledgedQuantity = acknowledgedQuantity
        self.shippedQuantity = shippedQuantity
        self.voidedQuantity = voidedQuantity
        self.inventoryVariantId = inventoryVariantId
        self.orderItemId = orderItemId
        self.upc = upc
        self.weight = weight
    }
}

/// The ship-to address as sent; normalisation happens in `AddressCheck`.
public struct ShippingAddress: Sendable, Equatable {
    /// The recipient's full name.
    public var name: String?
    /// The recipient's first name.
    public var firstName: String?
    /// The recipient's last name.
    public var lastName: String?
    /// The company, for a business address.
    public var companyName: String?
    /// Street and number.
    public var addressLine1: String?
    /// Apartment, suite, unit.
    public var addressLine2: String?
    /// The city.
    public var city: String?
    /// The state or region as written.
    public var state: String?
    /// The state or region code, e.g. `TX`.
    public var stateCode: String?
    /// The country as written.
    public var country: String?
    /// ISO alpha-2 country code, e.g. `US`.
    public var countryCode: String?
    /// The ZIP or postal code.
    public var postal: String?
    /// The recipient's email.
    public var email: String?
    /// The recipient's phone.
    public var phone: String?

    /// A `ShippingAddress` from its parts.
    public init(
        name: String? = nil, firstName: String? = nil, lastName: String? = nil, companyName: String? = nil,
        addressLine1: String? = nil, addressLine2: String? = nil, city: String? = nil, state: String? = nil,
        stateCode: String? = nil, country: String? = nil, countryCode: String? = nil, postal: String? = nil,
        email: String? = nil, phone: String? = nil
    ) {
        self.name = name
        self.firstName = firstName
        self.lastName = lastName
        self.companyName = companyName
        self.addressLine1 = addressLine1
        self.addressLine2 = addressLine2
        self.city = city
        self.state = state
        self.stateCode = stateCode
        self.country = country
        self.countryCode = countryCode
        self.postal = postal
        self.email = email
        self.phone = phone
    }

    /// The recipient as a carrier label shows it: `name`, else first and last name.
    public var recipient: String? {
        if let name = name?.trimmedNonEmpty { return name }
        let joined = [firstName, lastName].compactMap { $0?.trimmedNonEmpty }.joined(separator: " ")
        return joined.isEmpty ? nil : joined
    }
}

extension String {
    /// The string without surrounding white space, or nil when nothing is left.
    public var trimmedNonEmpty: String? {
        // Most fields start and end with a printable ASCII character: no need to trim those.
        let scalars = unicodeScalars
        if let first = scalars.first, let last = scalars.last, (0x21..<0x7F).contains(first.value),
            (0x21..<0x7F).contains(last.value)
        {
            return self
        }
        let trimmed = trimmingCharacters(in: .whitespacesAndNewlines)
        return trimmed.isEmpty ? nil : trimmed
    }
}
