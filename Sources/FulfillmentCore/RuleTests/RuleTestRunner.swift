import Foundation

/// The outcome of one rule test case.
public struct RuleTestResult: Sendable {
    /// The case's name.
    public var name: String
    /// 1-based line of the case in the file.
    public var line: Int
    /// The decision taken, when the case could be decided.
    public var decision: FRDecision?
    /// Empty when the case passed.
    public var failures: [String]

    /// Every expectation held.
    public var passed: Bool { failures.isEmpty }
}

/// Runs rule test cases with the real fact computation (stock plan, address checks, calendar).
public enum RuleTestRunner {
    /// Decides `fr` with a fresh ledger built from `stock` and compares with `expect`.
    public static func run(
        name: String, line: Int, fr: FulfillmentRequest, stock: [StockLevel], now: Date, ruleSet: RuleSet,
        expect: RuleTestFile.Expectation
    ) -> RuleTestResult {
        var ledger = StockLedger(levels: stock)
        let decision = DecisionCycle.decide([fr], ruleSet: ruleSet, ledger: &ledger, now: now).decisions[0]
        var failures: [String] = []
        func check<T: Equatable>(_ what: String, _ expected: T?, _ actual: T?, _ show: (T?) -> String) {
            if let expected, expected != actual {
                failures.append("expected \(what) \(show(expected)), got \(show(actual))")
            }
        }
        check("decision", expect.decision, decision.decision) { $0?.rawValue ?? "none" }
        check("rule", expect.rule, decision.rule) { $0 ?? "none" }
        check("reason", expect.reason, decision.reason) { $0?.rawValue ?? "none" }
        check("remainder", expect.remainder, decision.remainder) { $0?.rawValue ?? "none" }
        check("note", expect.note, decision.note) { $0.map { "\"\($0)\"" } ?? "none" }
        check("acknowledged units", expect.acknowledged, decision.lines.reduce(0) { $0 + $1.acknowledged }) {
            $0.map(String.init) ?? "none"
        }
        check("cancelled units", expect.cancelled, decision.lines.reduce(0) { $0 + $1.cancelled }) {
            $0.map(String.init) ?? "none"
        }
        return RuleTestResult(name: name, line: line, decision: decision, failures: failures)
    }
}
