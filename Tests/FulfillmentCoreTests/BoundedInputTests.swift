import Foundation
import Testing

@testable import FulfillmentCore

/// What an FR, a rule file or a CSV can say that must not be believed: numbers that do not
/// fit, keys given twice, counts and durations past any sense, values a megabyte long.
@Suite("Bounded input: FRs, rule files and CSVs")
struct BoundedInputTests {
    /// A page with a good FR, then one whose item carries `itemJSON`'s fields.
    static func page(item: String, extra: String = "") -> Data {
        let good = #"{"id": 1, "fulfillmentRequestItems": [{"sku": "A", "quantity": 1, "cost": 3}]}"#
        let odd = #"{"id": 2, \#(extra)"fulfillmentRequestItems": [{"sku": "A", \#(item)}]}"#
        return Data("[\(good), \(odd)]".utf8)
    }

    @Test(
        "a number no double holds, a non-finite numeric string or a key given twice quarantines the FR, never reads as 0",
        arguments: [
            (#""quantity": 1, "cost": 1e400"#, "", "fulfillmentRequestItems[0].cost", "too large"),
            (#""quantity": 1, "cost": -1e400"#, "", "fulfillmentRequestItems[0].cost", "too large"),
            (#""quantity": 1e-400"#, "", "fulfillmentRequestItems[0].quantity", "too small to tell from zero"),
            (#""quantity": 1, "cost": 0.0000000000000000000000000000001e-400"#, "", ".cost", "too small"),
            (#""quantity": 1, "cost": "1e400""#, "", "fulfillmentRequestItems[0].cost", "too large"),
            (#""quantity": 1, "cost": "NaN""#, "", "fulfillmentRequestItems[0].cost", "not a finite number"),
            (#""quantity": 1, "cost": "Infinity""#, "", "fulfillmentRequestItems[0].cost", "not a finite number"),
            (#""quantity": 1, "cost": 1e300"#, "", "fulfillmentRequestItems[0].cost", "too large for an amount"),
            (#""quantity": 1, "quantity": 5"#, "", "fulfillmentRequestItems[0].quantity", "appears twice"),
            (#""quantity": 1"#, #""id": 2, "#, "id", "appears twice"),
            (#""quantity": 1"#, #""shippingAddress": {"city": "A", "city": "B"}, "#, "shippingAddress.city", "twice"),
        ] as [(String, String, String, String)])
    func ambiguousFRs(item: String, extra: String, path: String, message: String) throws {
        let results = try FRListDecoder.decode(Self.page(item: item, extra: extra))
        #expect(results.count == 2)
        #expect((try? results[0].get())?.id == 1, "the good FR still decodes")
        guard case .failure(let failure) = results[1] else {
            Issue.record("accepted: \(item) \(extra) as \(String(describing: try? results[1].get()))")
            return
        }
        #expect(failure.path.hasSuffix(path) && failure.message.contains(message), "\(failure)")
    }

    @Test("ordinary numbers still read exactly: 245.95, 1e2, a cost as a string, 0")
    func ordinaryNumbers() throws {
        for (text, expected) in [("245.95", "245.95"), ("1e2", "100"), (#""12.5""#, "12.5"), ("0", "0"), ("0e5", "0")] {
            let results = try FRListDecoder.decode(Self.page(item: #""quantity": 1, "cost": \#(text)"#))
            let fr = try results[1].get()
            #expect(fr.items[0].cost.map { "\($0)" } == expected, "\(text)")
        }
    }

    @Test(
        "calendar numbers, durations and long values are bounded at load, quoted short",
        arguments: [
            (
                "warehouse: { timezone: UTC, handling_days: 100000000 }",
                "'handling_days' must be a whole number from 0 to 60"
            ),
            ("warehouse: { timezone: UTC, handling_days: 61 }", "from 0 to 60"),
            ("stock: { safety_stock: 99999999999 }", "'safety_stock' must be a whole number from 0 to 1000000000"),
            ("guards: { min_cycle_size: 0 }", "from 1 to 1000000"),
            (
                "warehouse: { timezone: \(String(repeating: "Z", count: 1_000_000)) }",
                "a value is 1000000 characters long; at most 10000"
            ),
            ("warehouse: { timezone: Europe/Nowhere }", "unknown time zone 'Europe/Nowhere'"),
            ("lists: { a: [\(String(repeating: "x", count: 20_000))] }", "is 20000 characters long; at most 10000"),
        ] as [(String, String)])
    func boundedRuleNumbers(extra: String, expected: String) throws {
        let yaml = RepositoryFilesRules.file(extra: extra)
        let started = ContinuousClock.now
        let errors = RuleSet.load(contents: yaml, path: "rules.yaml").errors.map(\.description)
        let took = ContinuousClock.now - started
        #expect(errors.contains { $0.contains(expected) }, "\(errors)")
        // The message quotes at most a short prefix of whatever was written.
        #expect(errors.allSatisfy { $0.count < 400 }, "\(errors.map(\.count))")
        // A correctness bound, not a speed target: a suggestion search over a 1 MB name took 25 s.
        #expect(took < .seconds(15))
    }

    @Test(
        "escalation durations: up to a year, every unit; past that refused",
        arguments: [
            ("48h", true), ("366d", true), ("52w", true), ("99999999999w", false), ("367d", false), ("1e400s", false),
            ("١٢h", false),
        ] as [(String, Bool)])
    func escalationDurations(after: String, accepted: Bool) {
        let yaml = RepositoryFilesRules.file(
            rules:
                "  - name: r\n    when: not address.valid\n    then: hold\n    escalate: { after: \(after), then: acknowledge }"
        )
        let errors = RuleSet.load(contents: yaml, path: "rules.yaml").errors.map(\.description)
        #expect(errors.isEmpty == accepted, "\(errors)")
        if !accepted { #expect(errors.first?.contains("at most 366d") == true) }
    }

    @Test(
        "YAML tags, and a note that is not text, are refused at their line",
        arguments: [
            (
                "  - name: r\n    when: true\n    then: hold\n    note: {}",
                "rules.yaml:9:11: error: 'note' must be a single line"
            ),
            (
                "  - name: r\n    when: true\n    then: hold\n    note: [a]",
                "rules.yaml:9:11: error: 'note' must be a single line"
            ),
            ("  - name: !custom r\n    when: true\n    then: hold", "rules.yaml:6:11: error: YAML tags"),
            (
                "  - name: r\n    when: !!python/object:os.system true\n    then: hold",
                "rules.yaml:7:11: error: YAML tags"
            ),
        ] as [(String, String)])
    func tagsAndNotes(rules: String, expected: String) {
        let errors = RuleSet.load(contents: RepositoryFilesRules.file(rules: rules), path: "rules.yaml").errors
        #expect(errors.map(\.description).contains { $0.hasPrefix(expected) }, "\(errors)")
    }

    @Test(
        "stock CSV: a duplicate column, a row out of line with the header, a cost that is not a plain decimal",
        arguments: [
            ("sku,on_hand,on_hand\nA,1,2\n", "stock.csv:1: column 'on_hand' appears twice (columns 2 and 3)"),
            ("sku,on_hand,location\nA,1\n", "stock.csv:2: 2 fields where the header has 3; a missing or extra comma?"),
            ("sku,on_hand\nA,1,extra\n", "stock.csv:2: 3 fields where the header has 2"),
            (
                "sku,on_hand,cost\nA,1,0x1p3\n",
                "stock.csv:2: cost for A must be a plain decimal number such as 4.25, got '0x1p3'"
            ),
            ("sku,on_hand,cost\nA,1,1e3\n", "must be a plain decimal number"),
            ("sku,on_hand,cost\nA,1,inf\n", "must be a plain decimal number"),
            ("sku,on_hand,cost\nA,1,nan\n", "must be a plain decimal number"),
            ("sku,on_hand,cost\nA,1,-1\n", "stock.csv:2: cost for A must not be negative, got -1"),
        ] as [(String, String)])
    func stockCSV(csv: String, expected: String) {
        guard case .failure(let errors) = StockCSV.parse(csv) else {
            Issue.record("accepted \(csv)")
            return
        }
        #expect(errors.rendered(path: "stock.csv").contains { $0.contains(expected) }, "\(errors)")
    }

    @Test("a plain cost still reads, and so does a row with every field")
    func plainCosts() throws {
        let levels = try StockCSV.parse("sku,on_hand,location,cost\nA,1,dallas,4.25\nB,2,reno,12\nC,3,reno,\n").get()
        #expect(levels.map(\.cost) == [4.25, 12, nil])
    }

    @Test("tracking CSV: a duplicate column is an error; a row out of line is named and not shipped")
    func trackingCSV() throws {
        guard case .failure(let duplicate) = TrackingFile.parse("fr,sku,quantity,tracking_number,fr\nFR-1,A,1,Z,FR-2\n")
        else {
            Issue.record("a duplicate column accepted")
            return
        }
        #expect(duplicate.description == "line 1: column 'fr' appears twice (columns 1 and 5)")
        let parsed = try TrackingFile.parse("fr,sku,quantity,tracking_number\nFR-1,A,1,Z,extra\n").get()
        #expect(
            parsed.groups.first?.rows.first?.problems.first
                == "5 fields where the header has 4; a missing or extra comma?")
    }

    @Test("the stock shrink guard counts SKUs in stock that an import would leave with none")
    func shrink() {
        let current = [
            StockLevel(sku: "A", location: "dallas", onHand: 5), StockLevel(sku: "A", location: "reno", onHand: 1),
            StockLevel(sku: "B", location: "dallas", onHand: 2), StockLevel(sku: "C", location: "dallas", onHand: 0),
        ]
        let headerOnly = StockShrink(current: current, incoming: [])
        #expect(headerOnly.emptied == ["A", "B"] && headerOnly.inStock == 2 && headerOnly.isTooLarge)
        #expect(headerOnly.refusal.hasPrefix("this import would leave 2 of the 2 SKUs in stock with none (100%"))
        let half = StockShrink(current: current, incoming: [StockLevel(sku: "A", location: "reno", onHand: 3)])
        #expect(half.emptied == ["B"] && !half.isTooLarge)  // 1 of 2 is not more than half
        let recount = StockShrink(current: current, incoming: [StockLevel(sku: "B", location: "x", onHand: 0)])
        #expect(recount.emptied == ["A", "B"] && recount.isTooLarge)
        #expect(!StockShrink(current: [], incoming: []).isTooLarge)
    }

    @Test("quotes are short and escaped; terminal text loses every control character")
    func quoting() {
        #expect(Quote.short("abc") == "'abc'")
        let long = Quote.short(String(repeating: "x", count: 1_000_000))
        #expect(long.count < 80 && long.hasSuffix("…' (1000000 characters)"))
        #expect(TerminalText.escaped("FR-\u{1B}[31m1001\r") == "FR-\\u{1B}[31m1001\\u{D}")
        #expect(TerminalText.escaped("a\nb\tc", keepingLines: true) == "a\nb\tc")
        #expect(TerminalText.escaped("a\nb") == "a\\u{A}b")
        #expect(TerminalText.escaped("\u{9B}2J plain") == "\\u{9B}2J plain")
    }
}

/// Rule files for the tests above: the example calendar with `extra` sections or `rules`.
enum RepositoryFilesRules {
    static func file(extra: String = "", rules: String = "  - name: r\n    when: true\n    then: hold") -> String {
        """
        version: 1
        \(extra.isEmpty ? "warehouse: { timezone: UTC }" : extra)
        default:
          then: hold
        rules:
        \(rules)
        """
    }
}
