import Foundation
import Testing

@testable import FulfillmentCore

@Suite("Stock planning")
struct StockPlanTests {
    func plan(
        _ items: [(String, Int)], _ levels: [StockLevel], safety: Int = 0, locations: [String] = ["dallas", "reno"]
    )
        -> StockPlan
    {
        StockPlanner.plan(
            Build.fr(items: items), ledger: StockLedger(levels: levels),
            policy: StockPolicy(safetyStock: safety, locations: locations))
    }

    @Test("a repeated SKU is never promised twice")
    func repeatedSKU() {
        let p = plan([("A", 3), ("A", 3)], [StockLevel(sku: "A", location: "dallas", onHand: 4)])
        #expect(p.lines.map(\.available) == [4, 1])
        #expect(p.lines.map(\.promised) == [3, 1])
        #expect(p.facts.missingUnits == 2 && !p.facts.coversAll && p.facts.coversAny)
        #expect(p.facts.fillRate == 4.0 / 6.0)
    }

    @Test("safety stock is held back per SKU across locations")
    func safetyStock() {
        let levels = [
            StockLevel(sku: "A", location: "dallas", onHand: 2), StockLevel(sku: "A", location: "reno", onHand: 1),
        ]
        let p = plan([("A", 3)], levels, safety: 1)
        #expect(p.lines[0].available == 2 && p.lines[0].promised == 2)
        #expect(
            plan([("A", 1)], [StockLevel(sku: "A", location: "dallas", onHand: 1)], safety: 1).facts.coversAny == false)
    }

    @Test("one location that covers the FR is preferred, in the configured order")
    func singleLocation() {
        let levels = [
            StockLevel(sku: "A", location: "dallas", onHand: 1), StockLevel(sku: "B", location: "dallas", onHand: 5),
            StockLevel(sku: "A", location: "reno", onHand: 5), StockLevel(sku: "B", location: "reno", onHand: 5),
        ]
        let p = plan([("A", 2), ("B", 2)], levels)
        #expect(p.facts.locationsNeeded == 1)
        #expect(p.lines.flatMap(\.allocations).map(\.location) == ["reno", "reno"])
        let both = plan([("A", 1), ("B", 1)], levels)
        #expect(both.lines.flatMap(\.allocations).map(\.location) == ["dallas", "dallas"])
    }

    @Test("otherwise the fewest locations")
    func fewestLocations() {
        let levels = [
            StockLevel(sku: "A", location: "dallas", onHand: 1), StockLevel(sku: "B", location: "reno", onHand: 1),
            StockLevel(sku: "A", location: "austin", onHand: 1), StockLevel(sku: "B", location: "austin", onHand: 0),
            StockLevel(sku: "A", location: "boise", onHand: 0), StockLevel(sku: "C", location: "boise", onHand: 1),
            StockLevel(sku: "C", location: "reno", onHand: 1),
        ]
        let p = plan([("A", 1), ("B", 1), ("C", 1)], levels)
        #expect(p.facts.locationsNeeded == 2 && p.facts.coversAll)
        #expect(Set(p.lines.flatMap(\.allocations).map(\.location)) == ["dallas", "reno"])
    }

    @Test("FRs decided in one cycle reserve stock for each other, oldest first")
    func crossFR() throws {
        let rules = try RepositoryFiles.exampleRules()
        var ledger = StockLedger(levels: [StockLevel(sku: "SKU-1", location: "dallas", onHand: 4)])
        let older = Build.fr(id: 2, items: [("SKU-1", 2)], created: "2026-11-26T10:00:00Z")
        let newer = Build.fr(id: 1, items: [("SKU-1", 2)], created: "2026-11-26T11:00:00Z")
        let decisions = DecisionCycle.decide([newer, older], ruleSet: rules, ledger: &ledger, now: Build.now).decisions
        #expect(decisions.map(\.frId) == [2, 1])
        #expect(decisions[0].decision == .acknowledge)
        #expect(decisions[1].decision == .split)  // 4 on hand - 2 reserved - 1 safety = 1 left
        #expect(decisions[1].lines.map(\.acknowledged) == [1])
        #expect(ledger.totalReserved(sku: "SKU-1") == 3)
        #expect(ledger.free(sku: "SKU-1", location: "dallas") == 1)
    }

    @Test("an acknowledge beyond stock reserves the backorder and says so")
    func backorder() throws {
        let yaml =
            "version: 1\nwarehouse: { timezone: UTC }\nstock: { locations: [dallas] }\nrules:\n  - name: all\n    when: true\n    then: acknowledge"
        let rules = try #require(RuleSet.load(contents: yaml, path: "t").ruleSet)
        var ledger = StockLedger(levels: [StockLevel(sku: "A", location: "dallas", onHand: 1)])
        let decision = Decider.decide(Build.fr(items: [("A", 3)]), ruleSet: rules, ledger: &ledger, now: Build.now)
        #expect(decision.lines == [LineAnswer(itemId: 100, sku: "A", quantity: 3, acknowledged: 3, cancelled: 0)])
        #expect(decision.trace.notes == ["backordered: 2 × A not in stock"])
        #expect(decision.reservations.map(\.quantity).reduce(0, +) == 3)
        #expect(ledger.free(sku: "A", location: "dallas") == 0)
    }

    @Test("split answers acknowledge what is promised and cancel the rest by FR item id")
    func splitLines() throws {
        let rules = try RepositoryFiles.exampleRules()
        var ledger = StockLedger(levels: try RepositoryFiles.sampleStock())
        let fr = try #require(try RepositoryFiles.sampleFRs().first { $0.id == 1005 })
        let decision = Decider.decide(fr, ruleSet: rules, ledger: &ledger, now: Build.now)
        #expect(decision.decision == .split)
        #expect(
            decision.lines == [
                LineAnswer(itemId: 5, sku: "SKU-GREEN", quantity: 4, acknowledged: 1, cancelled: 3),
                LineAnswer(itemId: 6, sku: "SKU-RED", quantity: 1, acknowledged: 1, cancelled: 0),
            ])
        #expect(decision.facts.stock.locationsNeeded == 2)
        #expect(Set(decision.reservations.map(\.location)) == ["reno", "dallas"])
    }
}
