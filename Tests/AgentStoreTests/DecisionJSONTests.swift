import Foundation
import FulfillmentCore
import Testing

@testable import AgentStore
@testable import AgentStoreSQLite

@Suite("Decision log JSON")
struct DecisionJSONTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// Every sample FR decided by the example rules, plus the shapes the samples lack.
    static func decisions() throws -> [FRDecision] {
        let rulesPath = root.appendingPathComponent("rules.example.yaml").path
        let rules = try #require(
            RuleSet.load(contents: try String(contentsOfFile: rulesPath, encoding: .utf8), path: rulesPath).ruleSet)
        var frs = try FRListDecoder.decode(Data(contentsOf: root.appendingPathComponent("examples/frs-sample.json")))
            .map { try $0.get() }
        frs[0].items[0].sku = nil
        frs[1].shippingAddress = nil
        let stock = try StockCSV.parse(
            String(contentsOf: root.appendingPathComponent("examples/stock-sample.csv"), encoding: .utf8)
        ).get()
        var ledger = StockLedger(levels: stock)
        let now = try Timestamp.parseInstant("2026-11-27T09:00:00-06:00")
        var decisions = DecisionCycle.decide(frs, ruleSet: rules, ledger: &ledger, now: now).decisions
        decisions[2].stockFigures = [
            "SKU-10": ["b": StockFigure(onHand: 1, reserved: 0), "A": StockFigure(onHand: 2, reserved: 1)],
            "SKU-9": [:], "sku-\"é\"\n": ["x": StockFigure(onHand: 0, reserved: 0)], "Z_": [:],
        ]
        decisions[3].facts.stock.fillRate = 2.0 / 3.0
        decisions[4].facts.stock.fillRate = 1e-7
        decisions[5].facts.address.problems = ["a\u{1}", "b/c"]
        // A backorder says so; a reservation from the shelf writes no flag.
        decisions[6].reservations = [
            StockReservation(sku: "SKU-1", location: "a", quantity: 1),
            StockReservation(sku: "SKU-1", location: "a", quantity: 2, backordered: true),
        ]
        // A kit line, its components stocked.
        var kitFR = frs[2]
        kitFR.items[0].sku = "GIFT-SET"
        let gift = Kit(
            sku: "GIFT-SET", components: [.init(sku: stock[0].sku, quantity: 2), .init(sku: stock[1].sku, quantity: 1)])
        var kitLedger = StockLedger(levels: stock, kits: try KitCatalog([gift]))
        decisions += DecisionCycle.decide([kitFR], ruleSet: rules, ledger: &kitLedger, now: now).decisions
        // Stock on its way: the inbound facts, and a reservation promised from an arrival.
        let landing = now.addingTimeInterval(86_400)
        var inboundLedger = StockLedger(
            levels: [],
            inbound: frs[4].items.compactMap(\.sku).map {
                InboundStock(sku: $0, location: "reno", quantity: 3, expectedAt: landing)
            }, countedAt: now)
        var arriving = DecisionCycle.decide([frs[4]], ruleSet: rules, ledger: &inboundLedger, now: now).decisions[0]
        arriving.reservations.append(StockReservation(sku: "A", location: "reno", quantity: 1, inboundAt: landing))
        #expect(arriving.facts.inbound != nil)
        decisions.append(arriving)
        return decisions
    }

    @Test("lines, trace and basis are written exactly as the stable JSON encoder writes them")
    func sameAsEncoder() throws {
        let encoder = StableJSON.encoder()
        for decision in try Self.decisions() {
            var lines = JSONText()
            lines.write(decision.lines)
            #expect(lines.text == String(decoding: try encoder.encode(decision.lines), as: UTF8.self))
            var trace = JSONText()
            trace.write(decision.trace)
            #expect(trace.text == String(decoding: try encoder.encode(decision.trace), as: UTF8.self))
            let basis = DecisionBasis(decision)
            #expect(basis.jsonText == String(decoding: try encoder.encode(basis), as: UTF8.self))
            let decoded = try JSONDecoder.stable.decode(DecisionBasis.self, from: Data(basis.jsonText.utf8))
            #expect(decoded == basis)
            #expect(basis.jsonText.contains("backordered") == decision.reservations.contains(where: \.backordered))
            // Only a decision with a kit line writes `kits`, and replay reads them back.
            let kitLines = decision.stockPlan.lines.filter { $0.components != nil }
            #expect(basis.jsonText.contains("\"kits\":") == !kitLines.isEmpty)
            let logged = LoggedDecision(
                id: 1, frId: decision.frId, frNumber: nil, decidedAt: Date(timeIntervalSince1970: 0),
                decision: decision.decision, rule: decision.rule, reason: nil, note: nil, linesJSON: nil,
                factsJSON: basis.jsonText, now: Date(timeIntervalSince1970: 0), heldSince: nil, frJSON: "{}",
                override: nil)
            #expect(logged.kits == decision.stockPlan.kitsUsed)
            #expect(logged.stockFigures == decision.stockFigures)
        }
        #expect(try Self.decisions().contains { DecisionBasis($0).kits?.first?.components.count == 2 })
    }
}

extension JSONDecoder {
    /// Reads what `StableJSON` wrote, instants included.
    static var stable: JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .custom { decoder in
            try Timestamp.parseInstant(try decoder.singleValueContainer().decode(String.self))
        }
        return decoder
    }
}
