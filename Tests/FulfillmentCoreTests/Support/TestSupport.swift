import Foundation
import Testing

@testable import FulfillmentCore

/// Files of this repository, found from this source file so tests run from any directory.
enum RepositoryFiles {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    static func data(_ relative: String) throws -> Data {
        try Data(contentsOf: root.appendingPathComponent(relative))
    }

    static func text(_ relative: String) throws -> String {
        String(decoding: try data(relative), as: UTF8.self)
    }

    static func sampleFRs() throws -> [FulfillmentRequest] {
        try FRListDecoder.decode(try data("examples/frs-sample.json")).map { try $0.get() }
    }

    static func sampleStock() throws -> [StockLevel] {
        try StockCSV.parse(try text("examples/stock-sample.csv")).get()
    }

    static func exampleRules() throws -> RuleSet {
        try #require(RuleSet.load(contents: try text("rules.example.yaml"), path: "rules.example.yaml").ruleSet)
    }
}

/// Builders for FRs, facts and small rule files.
enum Build {
    static func instant(_ text: String) -> Date { try! Timestamp.parseInstant(text) }

    static let now = instant("2026-11-27T09:00:00-06:00")

    static func fr(
        id: Int = 1, items: [(String, Int)] = [("SKU-1", 1)], address: ShippingAddress? = usAddress,
        shipBy: ShipBy? = nil, carrier: String? = "UPS", created: String = "2026-11-26T15:00:00Z"
    ) -> FulfillmentRequest {
        FulfillmentRequest(
            id: id, number: "FR-\(id)", generatedAt: instant(created), shipBy: shipBy, carrier: carrier,
            shippingAddress: address,
            items: items.enumerated().map {
                FulfillmentRequestItem(id: id * 100 + $0.offset, sku: $0.element.0, quantity: $0.element.1, cost: 10)
            })
    }

    static let usAddress = ShippingAddress(
        name: "Ada Lovelace", addressLine1: "12 Main St", city: "Austin", stateCode: "TX", countryCode: "US",
        postal: "78701")

    static func facts(
        lines: [Int] = [5], address: AddressFacts = validAddress,
        stock: StockFacts = StockFacts(
            coversAll: true, coversAny: true, fillRate: 1, missingUnits: 0, locationsNeeded: 1),
        ship: ShipFacts = ShipFacts(earliest: instant("2026-11-27T14:00:00-06:00"), meetsShipBy: true, daysLate: 0)
    ) -> Facts {
        Facts(now: now, lines: lines.map(LineFacts.init), address: address, stock: stock, ship: ship)
    }

    static let validAddress = AddressFacts(
        country: "US", state: "TX", postal: "78701", city: "Austin", problems: [], poBox: false, military: false,
        domestic: true)

    /// A rule file with the given rules section text and a `hold` default.
    static func ruleFile(_ rules: String, extra: String = "") -> String {
        """
        version: 1
        warehouse:
          timezone: America/Chicago
          cutoff: "14:00"
        lists:
          skus: [SKU-1, SKU-2]
          numbers: [1, 2, 3]
        \(extra)
        rules:
        \(rules)
        default:
          then: hold
        """
    }

    /// Loads a rule set whose single rule `r` has condition `when`; fails the test on diagnostics errors.
    static func single(_ when: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> RuleSet {
        let quoted = when.replacingOccurrences(of: "'", with: "''")
        let result = RuleSet.load(
            contents: ruleFile("  - name: r\n    when: '\(quoted)'\n    then: acknowledge", extra: "guards: {}"),
            path: "t.yaml")
        let errors = result.errors.map(\.description)
        #expect(errors.isEmpty, "\(errors)", sourceLocation: sourceLocation)
        return try #require(result.ruleSet, sourceLocation: sourceLocation)
    }
}
