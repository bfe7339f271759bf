import Foundation
import Synchronization

/// A fulfillment request as Flxpoint sends it to a Source.
///
/// Only `id` and each item's `quantity` are required; everything else is optional because
/// the public API documents little and live responses vary. Unknown fields are ignored.
public struct FulfillmentRequest: Sendable, Equatable {
    public var id: Int
    public var number: String?
    public var orderId: Int?
    public var sourceId: Int?
    public var generatedAt: Date?
    public var sentAt: Date?
    public var acknowledgedAt: Date?
    public var voidedAt: Date?
    public var shipBy: ShipBy?
    public var status: String?
    public var shippingMethod: String?
    public var carrier: String?
    public var note: String?
    public var orderNumber: String?
    public var shippingAddress: ShippingAddress?
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

    public var description: String {
        switch self {
        case .day(let day): return day.description
        case .instant(let date): return Timestamp.utcString(date)
        }
    }
}

/// One line of an FR.
public struct FulfillmentRequestItem: Sendable, Equatable {
    public var id: Int?
    public var sku: String?
    public var title: String?
    public var quantity: Int
    /// Exact: read from the JSON number's digits, never through binary floating point.
    public var cost: Decimal?
    public var acknowledgedQuantity: Int?
    public var shippedQuantity: Int?
    public var voidedQuantity: Int?
    public var inventoryVariantId: Int?
    public var orderItemId: Int?
    public var upc: String?
    public var weight: Double?

    /// More units on one line than any real order has: the FR is malformed, not decided.
    public static let maxQuantity = 1_000_000

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
    public var name: String?
    public var firstName: String?
    public var lastName: String?
    public var companyName: String?
    public var addressLine1: String?
    public var addressLine2: String?
    public var city: String?
    public var state: String?
    public var stateCode: String?
    public var country: String?
    public var countryCode: String?
    public var postal: String?
    public var email: String?
    public var phone: String?

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
