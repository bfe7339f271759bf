import Foundation
import Testing

@testable import FulfillmentCore

@Suite("Expression language")
struct ExpressionTests {
    /// Whether the single rule `when` matches for the FR and facts.
    func holds(
        _ when: String, fr: FulfillmentRequest = Build.fr(), facts: Facts = Build.facts(),
        sourceLocation: SourceLocation = #_sourceLocation
    ) throws -> Bool {
        let ruleSet = try Build.single(when, sourceLocation: sourceLocation)
        return ruleSet.decide(fr, facts: facts).rule == "r"
    }

    @Test(
        "operators and literals",
        arguments: [
            ("1 == 1", true), ("1 != 1", false), ("1 < 2", true), ("2 <= 2", true), ("3 > 2", true), ("2 >= 3", false),
            ("1 + 2 * 3 == 7", true), ("(1 + 2) * 3 == 9", true), ("7 / 2 == 3.5", true), ("10 - 4 == 6", true),
            ("-3 < 0", true), ("1.5 > 1", true), ("true and false", false), ("true or false", true),
            ("not false", true), ("!true", false), ("true && true", true), ("false || true", true),
            ("'a' == \"a\"", true), ("'abc' contains 'b'", true), ("'abc' starts_with 'ab'", true),
            ("'abc' ends_with 'bc'", true), ("'abc' starts_with 'bc'", false), ("'a-12' matches '^a-[0-9]+$'", true),
            ("'b-12' matches '^a-'", false), ("2 in [1, 2, 3]", true), ("4 not in [1, 2, 3]", true),
            ("'x' in ['a', 'b']", false), ("[1, 2] contains 2", true), ("'SKU-1' in lists.skus", true),
            ("2 in lists.numbers", true), ("2026-12-24 < 2026-12-25", true), ("90m == 1.5h", true), ("2d == 48h", true),
            ("36h > 1d", true), ("1w == 7d", true), ("2026-12-25 - 2026-12-24 == 1d", true),
            ("2026-12-24 + 2d == 2026-12-26", true), ("2026-12-24T10:00:00Z + 1h == 2026-12-24T11:00:00Z", true),
            ("30m * 2 == 1h", true), ("1h / 2 == 30m", true), ("1h / 30m == 2", true), ("'ab' + 'c' == 'abc'", true),
            ("lower('AbC') == 'abc'", true), ("upper('abc') == 'ABC'", true), ("len('abcd') == 4", true),
            ("len([1, 2]) == 2", true), ("len([]) == 0", true), ("not 1 in [2]", true),
        ])
    func operators(expression: String, expected: Bool) throws {
        #expect(try holds(expression) == expected, "\(expression)")
    }

    @Test("decimals are exact in arithmetic, comparison and the trace")
    func exactDecimals() throws {
        #expect(try holds("12.15 + 3 * 245.95 == 750"))
        #expect(try holds("0.1 + 0.2 == 0.3"))
        var fr = Build.fr(items: [("A", 1), ("B", 3)])
        fr.items[0].cost = Decimal(string: "12.15")
        fr.items[1].cost = Decimal(string: "245.95")
        #expect(try holds("fr.value >= 750", fr: fr))
        let ruleSet = try Build.single("fr.value >= 750")
        let checks = ruleSet.decide(fr, facts: Build.facts()).trace.rules[0].checks.map(\.description)
        #expect(checks == ["fr.value 750 >= 750 → true"])
        #expect(try holds("7 / 3 > 2.333333 and 7 / 3 < 2.333334"))
    }

    @Test("facts are read from the FR and the computed facts")
    func facts() throws {
        let fr = Build.fr(
            id: 42, items: [("SKU-1", 2), ("SKU-2", 3)], shipBy: .day(LocalDate("2026-11-30")!), carrier: "FedEx")
        let facts = Build.facts(lines: [2, 1])
        #expect(try holds("fr.id == 42 and fr.number == 'FR-42'", fr: fr, facts: facts))
        #expect(try holds("fr.lines == 2 and fr.units == 5 and fr.value == 50", fr: fr, facts: facts))
        #expect(try holds("fr.carrier == 'FedEx' and fr.age == 1d", fr: fr, facts: facts))
        #expect(try holds("fr.ship_by == 2026-11-30 and fr.created_at < now", fr: fr, facts: facts))
        #expect(try holds("address.country == 'US' and address.state == 'TX' and address.valid", fr: fr, facts: facts))
        #expect(
            try holds("stock.covers_all and stock.fill_rate == 1 and stock.locations_needed == 1", fr: fr, facts: facts)
        )
        #expect(try holds("ship.earliest > now and ship.meets_ship_by and ship.days_late == 0", fr: fr, facts: facts))
        #expect(try holds("ship.earliest <= fr.ship_by", fr: fr, facts: facts))
    }

    @Test("quantifiers and sum see each line as item")
    func quantifiers() throws {
        let fr = Build.fr(items: [("SKU-1", 2), ("FRT-9", 3)])
        let facts = Build.facts(lines: [2, 1])
        #expect(try holds("any(items, item.sku starts_with 'FRT')", fr: fr, facts: facts))
        #expect(try holds("not all(items, item.covered)", fr: fr, facts: facts))
        #expect(try holds("none(items, item.quantity > 3)", fr: fr, facts: facts))
        #expect(try holds("count(items, item.available >= 1) == 2", fr: fr, facts: facts))
        #expect(try holds("sum(items, item.quantity) == 5", fr: fr, facts: facts))
        #expect(try holds("sum(items, item.cost * item.quantity) == 50", fr: fr, facts: facts))
        #expect(try holds("any(address.problems, item == 'x') == false", fr: fr, facts: facts))
        #expect(try holds("all(items, any(lists.skus, item != 'zzz'))", fr: fr, facts: facts))
    }

    @Test("a missing optional fact makes comparisons false and has() says so")
    func missing() throws {
        let fr = Build.fr(shipBy: nil, carrier: nil)
        #expect(try holds("fr.ship_by < 2030-01-01", fr: fr) == false)
        #expect(try holds("fr.ship_by >= 2030-01-01", fr: fr) == false)
        #expect(try holds("fr.carrier != 'UPS'", fr: fr) == false)
        #expect(try holds("not has(fr.ship_by)", fr: fr))
        #expect(try holds("has(fr.carrier)", fr: fr) == false)
        #expect(try holds("lower(fr.carrier) == 'ups'", fr: fr) == false)
        #expect(try holds("fr.order_number in ['A']", fr: fr) == false)
        let ruleSet = try Build.single("fr.ship_by < 2030-01-01")
        let trace = ruleSet.decide(fr, facts: Build.facts()).trace
        #expect(trace.rules[0].checks[0].check == "fr.ship_by missing < 2030-01-01")
    }

    @Test("time and date compare by the warehouse day")
    func timeAgainstDate() throws {
        // 2026-11-28T03:00Z is still 2026-11-27 in Chicago.
        let fr = Build.fr(shipBy: .instant(Build.instant("2026-11-28T03:00:00Z")))
        #expect(try holds("fr.ship_by == 2026-11-27", fr: fr))
        #expect(try holds("fr.ship_by < 2026-11-28", fr: fr))
    }

    @Test(
        "type errors are load errors",
        arguments: [
            ("fr.units > \"3\"", "cannot compare int 'fr.units' with string '\"3\"'"),
            ("fr.units", "a rule's 'when' must be true or false, but this is a int"),
            ("'a' + 1 == 'a1'", "cannot apply '+' to string ''a'' and int '1'"),
            ("address.valid < true", "'<' orders numbers, strings, times, dates and durations, not bool"),
            ("fr.units in 3", "'in' needs a list on its right, but '3' is a int"),
            ("'x' in lists.numbers", "cannot look for string ''x'' in list of int 'lists.numbers'"),
            ("fr.number matches fr.carrier", "'matches' needs a pattern written as a string literal"),
            ("any(fr.units, true)", "any() needs a list first, but 'fr.units' is a int"),
            ("any(items, item.quantity)", "any() needs a condition, but 'item.quantity' is a int"),
            ("sum(items, item.sku) > 0", "sum() adds numbers or durations, but 'item.sku' is a string"),
            ("item.sku == 'a'", "'item.sku' is only defined inside any(), all(), none(), count() or sum() over a list"),
            ("has(1)", "has() takes a fact name, such as has(fr.ship_by)"),
            ("len(1) == 1", "len() needs a string or a list, but '1' is a int"),
            ("lower(1) == 'a'", "lower() needs a string, but '1' is a int"),
            ("[1, 'a'] contains 1", "a list holds values of one type, but it mixes int and string"),
            ("not fr.units", "'not' needs true or false, but 'fr.units' is a int"),
            ("-'a' == 'a'", "'-' needs a number or a duration, but ''a'' is a string"),
            ("1 < 2 < 3", "comparisons cannot be chained; join them with 'and'"),
            ("fr.units = 3", "'=' is not an operator; use '==' to compare"),
            ("(fr.units > 1", "expected ')' to close '(', found the end of the expression"),
            ("fr.units > ", "expected a value, found the end of the expression"),
            ("'abc", "unterminated string"),
            ("fr.age > 3x", "bad number or duration '3x'; durations are written 30s, 90m, 36h, 2d, 1w"),
            ("frob(1)", "unknown function 'frob'"),
            ("cnt(items, true)", "unknown function 'cnt'; did you mean 'count'?"),
            ("any(items, item.skus == 'a')", "unknown item field 'item.skus'; did you mean 'item.sku'?"),
            ("'a' in lists.skuz", "unknown list 'lists.skuz'; did you mean 'lists.skus'?"),
            ("2026-02-30 < now", "bad date or time literal: '2026-02-30' is not an ISO 8601 date or date-time"),
        ])
    func typeErrors(expression: String, message: String) throws {
        let quoted = expression.replacingOccurrences(of: "'", with: "''")
        let result = RuleSet.load(
            contents: Build.ruleFile("  - name: r\n    when: '\(quoted)'\n    then: acknowledge"), path: "t.yaml")
        #expect(result.ruleSet == nil)
        #expect(result.errors.map(\.message).contains(message), "\(result.errors.map(\.message))")
    }
}
