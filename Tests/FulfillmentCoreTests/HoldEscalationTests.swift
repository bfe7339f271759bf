import Foundation
import Testing

@testable import FulfillmentCore

@Suite("Hold escalation")
struct HoldEscalationTests {
    static let rules = Build.ruleFile(
        """
          - name: address-needs-review
            when: not address.valid
            then: hold
            note: "check the address"
            escalate: { after: 24h, before_ship_by: 4h, then: cancel, reason: address_invalid }
        """, extra: "guards: {}")

    static func decide(_ fr: FulfillmentRequest, now: Date, heldSince: Date?) throws -> FRDecision {
        let ruleSet = try #require(RuleSet.load(contents: rules, path: "r.yaml").ruleSet)
        var ledger = StockLedger(levels: [StockLevel(sku: "SKU-1", location: "main", onHand: 5)], reservations: [])
        return Decider.decide(fr, ruleSet: ruleSet, ledger: &ledger, now: now, heldSince: heldSince)
    }

    static let badAddress = ShippingAddress(name: "Ada", addressLine1: "12 Main St", countryCode: "US")

    @Test("a hold escalates after its age, by the same rule, with the trace note")
    func byAge() throws {
        let fr = Build.fr(address: Self.badAddress)
        let held = try Self.decide(fr, now: Build.now, heldSince: Build.now.addingTimeInterval(-23 * 3600))
        #expect(held.decision == .hold && held.note == "check the address")
        let since = Build.now.addingTimeInterval(-25 * 3600)
        let escalated = try Self.decide(fr, now: Build.now, heldSince: since)
        #expect(escalated.decision == .cancel && escalated.rule == "address-needs-review")
        #expect(escalated.reason == .addressInvalid && escalated.remainder == .fill)
        #expect(escalated.lines.map(\.cancelled) == [1])
        #expect(escalated.trace.notes.contains { $0.hasPrefix("escalated: held since \(Timestamp.utcString(since))") })
    }

    @Test("a hold escalates 4h before the ship-by deadline (the cutoff on the ship-by day), whichever is first")
    func byShipBy() throws {
        // Ship-by today: the 14:00 cutoff is 5h away at 09:00, so not yet; at 10:30 it is 3.5h away.
        let fr = Build.fr(address: Self.badAddress, shipBy: .day(LocalDate("2026-11-27")!))
        #expect(try Self.decide(fr, now: Build.now, heldSince: Build.now).decision == .hold)
        let later = Build.now.addingTimeInterval(90 * 60)
        #expect(try Self.decide(fr, now: later, heldSince: Build.now).decision == .cancel)
    }

    @Test("escalate is checked: only on hold, then cancel or acknowledge, a reason to cancel, a duration")
    func diagnostics() {
        let yaml = Build.ruleFile(
            """
              - name: a
                when: fr.units > 100
                then: acknowledge
                escalate: { after: 1h, then: cancel, reason: other }
              - name: b
                when: fr.units > 50
                then: hold
                escalate: { after: soon, then: split }
              - name: c
                when: fr.units > 10
                then: hold
                escalate: { then: cancel }
            """)
        let messages = RuleSet.load(contents: yaml, path: "rules.yaml").diagnostics.map(\.description)
        #expect(messages.contains("rules.yaml:13:5: error: 'escalate' applies only to hold, not acknowledge"))
        #expect(
            messages.contains(
                "rules.yaml:17:24: error: bad duration 'soon' for 'after'; write 30m, 24h, 2d or 1w, at most 366d"))
        #expect(
            messages.contains("rules.yaml:17:36: error: escalate 'then' must be cancel or acknowledge, not 'split'"))
        #expect(messages.contains { $0.hasPrefix("rules.yaml:21:15: error: rule 'c': 'escalate' needs 'after'") })
        #expect(
            messages.contains { $0.hasPrefix("rules.yaml:21:15: error: rule 'c': an escalation that cancels needs") })
    }
}
