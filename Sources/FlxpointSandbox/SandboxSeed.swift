import FlxpointAPI
import Foundation
import FulfillmentCore

/// Generated sandbox data: realistic FRs (with some bad addresses, late ship-by dates and
/// malformed records) and stock that covers most, not all, of them.
public struct SandboxSeed: Sendable {
    public var frs: [FulfillmentRequest]
    /// FRs served with a broken field, by id.
    public var malformed: [Int: JSONValue]
    /// Stock matching the catalog, for the agent's side of a demo.
    public var stock: [StockLevel]

    /// `count` FRs, deterministic for a given `seed`, created in the two days before `now`.
    public static func generate(
        count: Int, seed: UInt64 = 7, now: Date, malformedRate: Double = 0, firstId: Int = 50_001
    )
        -> SandboxSeed
    {
        var rng = SeededGenerator(seed: seed)
        let catalog = (1...24).map { String(format: "SKU-%04d", 1000 + $0) } + ["FRT-100", "FRT-200"]
        var frs: [FulfillmentRequest] = []
        var malformed: [Int: JSONValue] = [:]
        for n in 0..<count {
            let id = firstId + n
            let address = pick(addresses, &rng)
            var items: [FulfillmentRequestItem] = []
            for line in 0..<Int.random(in: 1...3, using: &rng) {
                let sku =
                    address.addressLine1?.contains("PO Box") == true && line == 0
                    ? "FRT-100" : pick(Array(catalog.dropLast(2)), &rng)
                items.append(
                    FulfillmentRequestItem(
                        id: id * 10 + line, sku: sku, title: "Item \(sku)",
                        quantity: Int.random(in: 1...4, using: &rng),
                        cost: Decimal(Int.random(in: 300...4000, using: &rng)) / 100, acknowledgedQuantity: 0,
                        shippedQuantity: 0, voidedQuantity: 0,
                        inventoryVariantId: 880_000 + (catalog.firstIndex(of: sku) ?? 0),
                        orderItemId: 700_000 + id * 10 + line))
            }
            let created = now.addingTimeInterval(-Double(Int.random(in: 600...172_800, using: &rng)))
            let late = Int.random(in: 0..<100, using: &rng) < 6
            let dueDays = late ? -Int.random(in: 1...5, using: &rng) : Int.random(in: 2...7, using: &rng)
            let due = TimeZone(identifier: "America/Chicago")!.localDate(of: now).adding(days: dueDays)
            let fr = FulfillmentRequest(
                id: id, number: "FR-\(id)", orderId: 90_000 + n, sourceId: 77, generatedAt: created, sentAt: created,
                shipBy: .day(due), status: n % 5 == 0 ? "Processed" : "Processing",
                shippingMethod: "Ground",
                carrier: address.city == "APO" ? "USPS" : pick(["UPS", "FedEx", "USPS"], &rng),
                orderNumber: "#\(100_000 + n)", shippingAddress: address, items: items)
            frs.append(fr)
            if malformedRate > 0, Double(rng.next() % 10_000) / 10_000 < malformedRate {
                malformed[id] = broken(fr)
            }
        }
        var stock: [StockLevel] = []
        for (index, sku) in catalog.enumerated() {
            // Every sixth SKU is out of stock; others hold enough for most of a 50-FR backlog.
            let units = index % 6 == 5 ? 0 : Int.random(in: 6...40, using: &rng)
            stock.append(StockLevel(sku: sku, location: index % 3 == 0 ? "reno" : "dallas", onHand: units, cost: 5))
        }
        return SandboxSeed(frs: frs, malformed: malformed, stock: stock)
    }

    /// The FR's JSON with its first line's quantity replaced by text, as a data-quality bug would.
    static func broken(_ fr: FulfillmentRequest) -> JSONValue {
        guard case .object(var object) = SandboxState.json(fr),
            case .array(var items)? = object["fulfillmentRequestItems"],
            case .object(var first)? = items.first
        else { return .null }
        first["quantity"] = .string("two")
        items[0] = .object(first)
        object["fulfillmentRequestItems"] = .array(items)
        return .object(object)
    }

    static func pick<T>(_ values: [T], _ rng: inout SeededGenerator) -> T {
        values[Int(rng.next() % UInt64(values.count))]
    }

    static func address(
        _ name: String, _ line1: String?, _ city: String, _ state: String?, _ country: String, _ postal: String?
    ) -> ShippingAddress {
        ShippingAddress(
            name: name, addressLine1: line1, city: city, stateCode: state, countryCode: country, postal: postal,
            phone: "5125550100")
    }

    /// Mostly good US addresses, with the problems a real backlog has.
    static let addresses: [ShippingAddress] = [
        address("Ada Lovelace", "12 Main St", "Austin", "TX", "US", "78701"),
        address("Grace Hopper", "9 Beacon St", "Boston", "MA", "US", "02108"),
        address("Alan Turing", "400 Elm Ave", "Chicago", "IL", "US", "60601"),
        address("Katherine Johnson", "77 Oak Rd", "Palo Alto", "CA", "US", "94301"),
        address("Edsger Dijkstra", "1 Pike Pl", "Seattle", "WA", "US", "98101"),
        address("Barbara Liskov", "55 Water St", "New York", "NY", "US", "10041"),
        address("Donald Knuth", "300 Peachtree St", "Atlanta", "GA", "US", "30308"),
        address("Frances Allen", "1600 Broadway", "Denver", "CO", "US", "80202"),
        address("John Backus", "200 Main St", "Salt Lake City", "UT", "US", "84101"),
        address("Radia Perlman", "1 Infinite Loop", "Reno", "NV", "US", "89501"),
        address("Hedy Lamarr", "500 Canal St", "New Orleans", "LA", "US", "70130"),
        address("Margaret Hamilton", "10 Harbor Dr", "San Diego", "CA", "US", "92101"),
        address("Ken Thompson", "800 Congress Ave", "Austin", "TX", "US", "78701"),
        address("Dennis Ritchie", "220 Yonge St", "Toronto", "ON", "CA", "M5B 2H1"),
        address("Linus Torvalds", "PO Box 114", "Portland", "OR", "US", "97201"),
        address("Sophie Wilson", "400 Elm Ave", "Chicago", "CA", "US", "60601"),
        address("Tim Berners-Lee", nil, "Miami", "FL", "US", "33101"),
        address("Jean Sammet", "Unit 2050 Box 4190", "APO", "AP", "US", "96278"),
        address("Carlos Finlay", "Calle 23 No. 105", "La Habana", nil, "CU", "10400"),
        address("Leslie Lamport", "1 Market St", "San Francisco", "CA", "US", "94105"),
    ]
}

extension SandboxSeed {
    /// The stock as the CSV `stock import` and `dry-run --stock` read.
    public var stockCSV: String {
        "sku,on_hand,location,cost\n"
            + stock.map { "\($0.sku),\($0.onHand),\($0.location),\($0.cost ?? 0)" }.joined(separator: "\n") + "\n"
    }
}
