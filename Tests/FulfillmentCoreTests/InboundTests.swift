import Foundation
import Testing

@testable import FulfillmentCore

/// Stock on its way: never promised as on hand; counted in time from the calendar; promised
/// only by `from: inbound`; turned into on hand by the next count without counting twice.
@Suite("Stock on its way")
struct InboundTests {
    /// Fri 2026-11-27 09:00 in Chicago (`Build.now`); the FR must ship by Tue 2026-12-01.
    static let shipBy = ShipBy.day(LocalDate(year: 2026, month: 12, day: 1)!)
    static let monday = Build.instant("2026-11-30T10:00:00-06:00")
    static let wednesday = Build.instant("2026-12-02T10:00:00-06:00")

    static let rules = """
          - name: on-its-way
            when: stock.covers_all_in_time and not stock.covers_all
            then: acknowledge
            from: inbound
            note: "ready {stock.ready_at}"
          - name: complete
            when: stock.covers_all
            then: acknowledge
        """

    static func ruleSet(_ rules: String = rules) throws -> RuleSet {
        let result = RuleSet.load(contents: Build.ruleFile(rules, extra: "guards: {}"), path: "t.yaml")
        #expect(result.errors.isEmpty, "\(result.errors.map(\.description))")
        return try #require(result.ruleSet)
    }

    static func ledger(arriving: Date, onHand: Int = 1) -> StockLedger {
        StockLedger(
            levels: [StockLevel(sku: "SKU-1", location: "dallas", onHand: onHand)],
            inbound: [InboundStock(sku: "SKU-1", location: "dallas", quantity: 2, expectedAt: arriving)],
            countedAt: Build.now)
    }

    @Test("units landing Monday make a Tuesday ship-by: the facts say so, and only from: inbound promises them")
    func inTime() throws {
        let rules = try Self.ruleSet()
        var ledger = Self.ledger(arriving: Self.monday)
        let fr = Build.fr(items: [("SKU-1", 3)], shipBy: Self.shipBy)
        // On the shelf only 1: stock.covers_all is false whatever is on its way.
        let plan = StockPlanner.plan(fr, ledger: ledger, policy: rules.stockPolicy)
        #expect(plan.facts.coversAll == false && plan.lines[0].promised == 1)
        let decision = Decider.decide(fr, ruleSet: rules, ledger: &ledger, now: Build.now)
        let inbound = try #require(decision.facts.inbound)
        #expect(inbound.lines[0].inTime == 2 && inbound.coversAllInTime)
        // Lands Monday 10:00, leaves with Monday's 14:00 pickup.
        #expect(inbound.readyAt == Build.instant("2026-11-30T14:00:00-06:00"))
        #expect(decision.decision == .acknowledge && decision.rule == "on-its-way")
        #expect(decision.note == "ready 2026-11-30T14:00-06:00")
        #expect(
            decision.reservations == [
                StockReservation(sku: "SKU-1", location: "dallas", quantity: 1),
                StockReservation(sku: "SKU-1", location: "dallas", quantity: 2, inboundAt: Self.monday),
            ])
        #expect(
            decision.trace.notes.contains(
                "on its way: 2 × SKU-1 lands Mon 2026-11-30 at dallas, ships 2026-11-30T14:00-06:00"),
            "\(decision.trace.notes)")
        // The arrival is promised now: the next FR finds nothing on its way, and nothing on the shelf.
        #expect(ledger.arrivals(of: "SKU-1").isEmpty && ledger.free(sku: "SKU-1", location: "dallas") == 0)
        let next = Decider.decide(
            Build.fr(id: 2, items: [("SKU-1", 1)], shipBy: Self.shipBy), ruleSet: rules,
            ledger: &ledger, now: Build.now)
        #expect(next.facts.inbound?.lines[0].inTime == 0 && next.decision == .hold)
    }

    @Test("units landing the day after the last ship day are not in time; ready_at says when it could ship")
    func tooLate() throws {
        let rules = try Self.ruleSet()
        var ledger = Self.ledger(arriving: Self.wednesday)
        let decision = Decider.decide(
            Build.fr(items: [("SKU-1", 3)], shipBy: Self.shipBy), ruleSet: rules, ledger: &ledger, now: Build.now)
        let inbound = try #require(decision.facts.inbound)
        #expect(inbound.lines[0].inTime == 0 && !inbound.coversAllInTime)
        #expect(inbound.readyAt == Build.instant("2026-12-02T14:00:00-06:00"))
        #expect(decision.decision == .hold && decision.reservations.isEmpty)
        #expect(ledger.arrivals(of: "SKU-1").map(\.free) == [2])
    }

    @Test("a plain acknowledge backorders rather than promise stock on its way")
    func notOnHand() throws {
        let rules = try Self.ruleSet("  - name: all\n    when: true\n    then: acknowledge")
        var ledger = Self.ledger(arriving: Self.monday)
        let decision = Decider.decide(
            Build.fr(items: [("SKU-1", 3)], shipBy: Self.shipBy), ruleSet: rules, ledger: &ledger, now: Build.now)
        #expect(decision.reservations.filter { $0.inboundAt != nil }.isEmpty)
        #expect(decision.reservations.contains { $0.backordered && $0.quantity == 2 })
        #expect(ledger.arrivals(of: "SKU-1").map(\.free) == [2])
    }

    @Test("the next count turns an arrival into on hand: a promise from it is not counted twice")
    func receipt() {
        let promised = [StockReservation(sku: "SKU-1", location: "dallas", quantity: 2, inboundAt: Self.monday)]
        let level = [StockLevel(sku: "SKU-1", location: "dallas", onHand: 3)]
        let inbound = [InboundStock(sku: "SKU-1", location: "dallas", quantity: 2, expectedAt: Self.monday)]
        // Counted before it landed: the promise comes out of the arrival, the shelf's 3 are free.
        let before = StockLedger(levels: level, reservations: promised, inbound: inbound, countedAt: Build.now)
        #expect(before.free(sku: "SKU-1", location: "dallas") == 3 && before.arrivals(of: "SKU-1").isEmpty)
        // Counted after: the 2 are on the shelf now and the arrival is gone; the promise holds 2 of the 3.
        let after = StockLedger(
            levels: level, reservations: promised, inbound: inbound,
            countedAt: Build.instant("2026-11-30T18:00:00-06:00"))
        #expect(after.free(sku: "SKU-1", location: "dallas") == 1 && !after.hasInbound)
    }

    @Test("without stock on its way nothing changes: no inbound facts logged, the new facts equal the shelf's")
    func noInbound() throws {
        let rules = try Build.single("stock.covers_all_in_time and stock.ready_at <= ship.earliest")
        var ledger = StockLedger(levels: [StockLevel(sku: "SKU-1", location: "dallas", onHand: 5)])
        let decision = Decider.decide(Build.fr(items: [("SKU-1", 3)]), ruleSet: rules, ledger: &ledger, now: Build.now)
        #expect(decision.facts.inbound == nil && decision.decision == .acknowledge)
        var json = JSONText()
        json.write(decision.facts)
        #expect(!json.text.contains("inbound"))
    }

    @Test("'from' is checked: only for acknowledge and split, only inbound or shelf, named by position")
    func fromChecked() {
        let wrong = RuleSet.load(
            contents: Build.ruleFile(
                "  - name: r\n    when: true\n    then: cancel\n    reason: out_of_stock\n    from: inbound"),
            path: "t.yaml")
        #expect(
            wrong.errors.map(\.description).contains {
                $0 == "t.yaml:14:5: error: 'from' applies only to acknowledge and split, not cancel"
            })
        let typo = RuleSet.load(
            contents: Build.ruleFile("  - name: r\n    when: true\n    then: acknowledge\n    from: inbond"),
            path: "t.yaml")
        #expect(
            typo.errors.map(\.description).contains { $0.contains("unknown 'from: inbond'") && $0.contains("inbound") },
            "\(typo.errors.map(\.description))")
    }
}
