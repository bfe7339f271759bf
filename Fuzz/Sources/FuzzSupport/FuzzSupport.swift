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
