import Foundation
import FulfillmentCore

/// What every fuzz target shares: the example rules, a stock ledger and a way to run FRs
/// through the whole decision, so a parser's output is also exercised downstream.
public enum FuzzSupport {
    static let repository = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// `rules.example.yaml`, loaded once; a fuzz run without it is a broken checkout.
    public static let exampleRules: RuleSet = {
        let url = repository.appendingPathComponent("rules.example.yaml")
        guard let text = try? String(contentsOf: url, encoding: .utf8),
            let ruleSet = RuleSet.load(contents: text, path: url.path).ruleSet
        else { fatalError("cannot load \(url.path)") }
        return ruleSet
    }()

    /// The FR fixtures the decisions are tried on.
    public static let sampleFRs: [FulfillmentRequest] = {
        let url = repository.appendingPathComponent("Fuzz/Corpus/fr-decoder/frs-sample.json")
        guard let data = try? Data(contentsOf: url), let results = try? FRListDecoder.decode(data) else {
            fatalError("cannot read \(url.path)")
        }
        return results.compactMap { try? $0.get() }
    }()

    /// Subjects on which a backtracking matcher explodes for patterns like `(a|a)*$`: a long
    /// run that almost matches, then a character that makes it fail.
    public static let almostMatching = [
        String(repeating: "a", count: 1_000) + "!", String(repeating: "ab", count: 500) + "\u{1}",
        String(repeating: "a ", count: 500) + "!",
    ]

    /// Two FRs whose every text field is one of `almostMatching`: what a rule's `matches`
    /// reads (names, address lines, city, number, carrier, SKU) is as hostile as it gets.
    public static let hostileFRs: [FulfillmentRequest] = almostMatching.prefix(2).enumerated().map { index, text in
        FulfillmentRequest(
            id: 990_000 + index, number: text, shippingMethod: text, carrier: text,
            shippingAddress: ShippingAddress(
                name: text, addressLine1: text, addressLine2: text, city: text, state: text, countryCode: "US",
                postal: text),
            items: [FulfillmentRequestItem(id: 1, sku: text, quantity: 1)])
    }

    /// The string literals that follow `matches` in a rule file: each is a pattern.
    public static func matchesLiterals(in text: String) -> [String] {
        var out: [String] = []
        var rest = Substring(text)
        while let found = rest.range(of: "matches") {
            rest = rest[found.upperBound...].drop { $0 == " " }
            guard let quote = rest.first, quote == "\"" || quote == "'" else { continue }
            let body = rest.dropFirst()
            guard let end = body.firstIndex(of: quote) else { break }
            out.append(String(body[..<end]))
            rest = body[end...].dropFirst()
        }
        return out
    }

    static let now = Date(timeIntervalSince1970: 1_795_000_000)

    /// Decides `frs` under `ruleSet` against a small ledger: nothing may trap, and every line's
    /// acknowledged and cancelled quantities must add up to what was asked.
    public static func decide(_ frs: [FulfillmentRequest], ruleSet: RuleSet) {
        var ledger = StockLedger(levels: [
            StockLevel(sku: "SKU-RED", location: "dallas", onHand: 5),
            StockLevel(sku: "SKU-BLUE", location: "reno", onHand: 1),
        ])
        let outcome = DecisionCycle.decide(frs, ruleSet: ruleSet, ledger: &ledger, now: now)
        for decision in outcome.decisions {
            for line in decision.lines where line.acknowledged + line.cancelled != line.quantity {
                fatalError("line \(line.sku ?? "?") of FR \(decision.frId) does not add up: \(line)")
            }
            _ = DecisionText.explain(decision, zone: ruleSet.calendar.timeZone)
        }
    }

    /// The CPU time this thread spends in `body`, in seconds: unlike the wall clock, it does
    /// not grow when other processes load the machine, so a time limit flags only real work.
    public static func cpuSeconds(_ body: () -> Void) -> Double {
        func now() -> Double {
            var spec = timespec()
            clock_gettime(CLOCK_THREAD_CPUTIME_ID, &spec)
            return Double(spec.tv_sec) + Double(spec.tv_nsec) / 1e9
        }
        let started = now()
        body()
        return now() - started
    }

    /// Lines in `text` counting every kind of line break a YAML or CSV reader may count (CR LF,
    /// a lone CR, NEL, LS, PS): an upper bound for the line a diagnostic may name.
    public static func lineCount(_ text: String) -> Int {
        text.reduce(1) { $1.isNewline ? $0 + 1 : $0 }
    }

    /// Input bytes as text the way the agent reads files: refused unless valid UTF-8.
    public static func text(_ data: UnsafePointer<UInt8>, _ count: Int) -> String? {
        String(validating: UnsafeBufferPointer(start: data, count: count), as: UTF8.self)
    }
}
