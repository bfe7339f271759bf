import Foundation
import Testing

@testable import FulfillmentCore

@Suite("Decisions, placeholders and traces")
struct DecisionTests {
    func ruleSet(_ rules: String, default fallback: String = "default:\n  then: hold") throws -> RuleSet {
        let yaml =
            "version: 1\nwarehouse: { timezone: America/Chicago }\nlists:\n  bad: [CU]\nrules:\n\(rules)\n\(fallback)"
        let result = RuleSet.load(contents: yaml, path: "t.yaml")
        #expect(result.errors.isEmpty, "\(result.errors)")
        return try #require(result.ruleSet)
    }

    @Test("the first matching rule decides, in file order")
    func firstMatch() throws {
        let rules = try ruleSet(
            """
              - name: a
                when: fr.units > 5
                then: hold
              - name: b
                when: fr.units > 1
                then: acknowledge
              - name: c
                when: fr.units > 0
                then: cancel
                reason: other
            """)
        #expect(rules.decide(Build.fr(items: [("S", 9)]), facts: Build.facts()).rule == "a")
        #expect(rules.decide(Build.fr(items: [("S", 3)]), facts: Build.facts()).rule == "b")
        let c = rules.decide(Build.fr(items: [("S", 1)]), facts: Build.facts())
        #expect(c.rule == "c" && c.decision == .cancel && c.reason == .other && c.remainder == .fill)
        #expect(c.trace.rules.map(\.rule) == ["a", "b", "c"])
        #expect(c.trace.rules.map(\.matched) == [false, false, true])
    }

    @Test("default decides when nothing matches, and a file without default holds")
    func defaults() throws {
        let rules = try ruleSet(
            "  - name: never\n    when: false\n    then: acknowledge",
            default:
                "default:\n  then: cancel\n  reason: out_of_stock\n  remainder: kill\n  note: nothing for {fr.number}")
        let decision = rules.decide(Build.fr(id: 7), facts: Build.facts())
        #expect(decision.rule == "default")
        #expect(decision.decision == .cancel && decision.reason == .outOfStock && decision.remainder == .kill)
        #expect(decision.note == "nothing for FR-7")
        #expect(decision.trace.rules.last == RuleTrace(rule: "default", matched: true, checks: []))

        let bare = try #require(
            RuleSet.load(contents: "version: 1\nrules:\n  - name: n\n    when: false\n    then: acknowledge", path: "t")
                .ruleSet)
        let held = bare.decide(Build.fr(), facts: Build.facts())
        #expect(held.decision == .hold && held.rule == "default")
        #expect(held.note == "no rule matched and the rule file has no default")
    }

    @Test("each decision kind and its remainder")
    func kinds() throws {
        let rules = try ruleSet(
            """
              - name: ack
                when: fr.id == 1
                then: acknowledge
              - name: split
                when: fr.id == 2
                then: split
                remainder: kill
              - name: cancel
                when: fr.id == 3
                then: cancel
                reason: duplicate
              - name: hold
                when: fr.id == 4
                then: hold
                reason: other
            """)
        let partial = Build.facts(
            stock: StockFacts(coversAll: false, coversAny: true, fillRate: 0.5, missingUnits: 1, locationsNeeded: 1))
        let outcomes = (1...4).map { rules.decide(Build.fr(id: $0), facts: partial) }
        #expect(outcomes.map(\.decision) == [.acknowledge, .split, .cancel, .hold])
        #expect(outcomes.map(\.remainder) == [nil, .kill, .fill, nil])
        #expect(outcomes.map(\.reason) == [nil, nil, .duplicate, .other])
    }

    @Test("a split that covers everything acknowledges; one that covers nothing cancels out_of_stock")
    func splitAdjustments() throws {
        let rules = try ruleSet("  - name: s\n    when: true\n    then: split")
        let full = rules.decide(Build.fr(), facts: Build.facts())
        #expect(full.decision == .acknowledge && full.remainder == nil)
        #expect(full.trace.notes == ["split acts as acknowledge: stock covers every unit"])
        let none = rules.decide(
            Build.fr(),
            facts: Build.facts(
                stock: StockFacts(coversAll: false, coversAny: false, fillRate: 0, missingUnits: 1, locationsNeeded: 0))
        )
        #expect(none.decision == .cancel && none.reason == .outOfStock && none.remainder == .fill)
        #expect(none.trace.notes == ["split acts as cancel (out_of_stock): stock covers no unit"])
    }

    @Test("placeholders render facts; lists join with commas; times in the warehouse zone")
    func placeholders() throws {
        let rules = try ruleSet(
            """
              - name: n
                when: true
                then: hold
                note: "{fr.number}: {address.problems} by {ship.earliest}, {fr.units} units, {stock.fill_rate}, {fr.carrier}"
            """)
        let facts = Build.facts(
            address: AddressFacts(
                country: "US", state: "TX", postal: nil, city: nil, problems: ["missing_street", "bad_postal_format"],
                poBox: false, military: false, domestic: true),
            stock: StockFacts(coversAll: false, coversAny: true, fillRate: 0.25, missingUnits: 3, locationsNeeded: 1))
        let note = rules.decide(Build.fr(id: 9, items: [("A", 4)], carrier: nil), facts: facts).note
        #expect(note == "FR-9: missing_street, bad_postal_format by 2026-11-27T14:00-06:00, 4 units, 0.25, missing")
    }

    @Test("the trace records each comparison with its operand values, short-circuited")
    func traceContent() throws {
        let rules = try ruleSet(
            """
              - name: late
                when: ship.earliest > fr.ship_by and address.country in lists.bad
                then: hold
              - name: covered
                when: not address.valid or stock.covers_all and any(items, item.sku == 'B')
                then: acknowledge
            """)
        let fr = Build.fr(items: [("A", 1), ("B", 2)], shipBy: .day(LocalDate("2026-11-26")!))
        let decision = rules.decide(fr, facts: Build.facts(lines: [1, 2]))
        #expect(
            decision.trace.rules == [
                RuleTrace(
                    rule: "late", matched: false,
                    checks: [
                        TraceCheck(check: "ship.earliest 2026-11-27T14:00-06:00 > fr.ship_by 2026-11-26", result: true),
                        TraceCheck(check: "address.country \"US\" in lists.bad [\"CU\"]", result: false),
                    ]),
                RuleTrace(
                    rule: "covered", matched: true,
                    checks: [
                        TraceCheck(check: "address.valid", result: true),
                        TraceCheck(check: "stock.covers_all", result: true),
                        TraceCheck(check: "any(items, item.sku == 'B') (line 2 B)", result: true),
                    ]),
            ])
        #expect(decision.trace.lines.first == "✘ late")
        #expect(decision.trace.lines[1] == "    ship.earliest 2026-11-27T14:00-06:00 > fr.ship_by 2026-11-26 → true")
    }

    @Test("decide is deterministic and never fails on odd FRs")
    func oddFRs() throws {
        let rules = try RepositoryFiles.exampleRules()
        let empty = FulfillmentRequest(id: 5, items: [])
        var ledger = StockLedger()
        let decision = Decider.decide(empty, ruleSet: rules, ledger: &ledger, now: Build.now)
        #expect(decision.decision == .hold)
        #expect(decision.facts.address.problems == ["missing_address"])
        let again = Decider.decide(empty, ruleSet: rules, ledger: &ledger, now: Build.now)
        #expect(again == decision)
    }
}
