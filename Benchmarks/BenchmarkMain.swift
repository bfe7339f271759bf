import Foundation
import FulfillmentCore

/// Release-build benchmarks: `swift run -c release Benchmarks [rules-file] [frs-file] [stock-file]`.
///
/// Prints how many decisions one core makes per second on the given rule file: rule
/// evaluation alone (facts precomputed) and the full path (stock plan, address checks,
/// calendar, rules, reservations); then a whole poll cycle through the sandbox and SQLite.
@main
struct BenchmarkMain {
    static func main() async throws {
        let arguments = CommandLine.arguments.dropFirst()
        let rulesPath = arguments.first ?? "rules.example.yaml"
        let frsPath = arguments.dropFirst().first ?? "examples/frs-sample.json"
        let stockPath = arguments.dropFirst(2).first ?? "examples/stock-sample.csv"
        let rules = RuleSet.load(contents: try String(contentsOfFile: rulesPath, encoding: .utf8), path: rulesPath)
        guard let ruleSet = rules.ruleSet else {
            for diagnostic in rules.diagnostics { print(diagnostic) }
            exit(2)
        }
        let frData = try Data(contentsOf: URL(fileURLWithPath: frsPath))
        let sample = try FRListDecoder.decode(frData).compactMap { try? $0.get() }
        let levels = try StockCSV.parse(String(contentsOfFile: stockPath, encoding: .utf8)).get()
        let now = try Timestamp.parseInstant("2026-11-27T09:00:00-06:00")

        var ledger = StockLedger(levels: levels)
        let decided = sample.map { Decider.decide($0, ruleSet: ruleSet, ledger: &ledger, now: now) }
        let pairs = zip(sample, decided.map(\.facts)).map { ($0, $1) }

        let evaluations = 200_000
        let ruleRate = measure(evaluations) { i in
            let (fr, facts) = pairs[i % pairs.count]
            return ruleSet.decide(fr, facts: facts).rule.count
        }
        let fullRuns = 50_000
        let fullRate = measure(fullRuns) { i in
            var fresh = StockLedger(levels: levels)
            return Decider.decide(sample[i % sample.count], ruleSet: ruleSet, ledger: &fresh, now: now).lines.count
        }
        print("rules file: \(rulesPath) (\(ruleSet.ruleNames.count - 1) rules + default), \(sample.count) sample FRs")
        print("rule evaluation only:          \(format(ruleRate)) decisions/s on one core")
        print("full decision (facts + rules): \(format(fullRate)) decisions/s on one core")

        let cycle = try await CycleBenchmark.run(frs: 2000, rulesPath: rulesPath)
        print(
            "poll cycle, \(cycle.frs) FRs over loopback into SQLite: fetch + decide + record "
                + String(format: "%.2f s (%.0f FRs/s)", cycle.decideSeconds, Double(cycle.frs) / cycle.decideSeconds))
        print(
            "next cycle: re-decide holds + send \(cycle.sent) answers "
                + String(
                    format: "%.2f s (%.0f answers/s, no rate limit)", cycle.totalSeconds,
                    Double(cycle.sent) / cycle.totalSeconds))
        print(
            "tracking import, \(cycle.trackingRows) rows → \(cycle.shipments) shipments checked, recorded and created: "
                + String(
                    format: "%.2f s (%.0f shipments/s, no rate limit)", cycle.trackingSeconds,
                    Double(cycle.shipments) / cycle.trackingSeconds))
        print(
            "inventory push, \(cycle.pushedSKUs) SKUs (variant lookup + \(cycle.pushRequests) PUTs): "
                + String(format: "%.2f s", cycle.pushSeconds))
    }

    /// Runs `body` `count` times after a warm-up and returns calls per second.
    static func measure(_ count: Int, _ body: (Int) -> Int) -> Double {
        var sink = 0
        for i in 0..<min(1000, count) { sink &+= body(i) }
        let clock = ContinuousClock()
        let elapsed = clock.measure {
            for i in 0..<count { sink &+= body(i) }
        }
        if sink == 42 { print("") }  // keeps the optimiser from dropping the work
        let seconds = elapsed.timeInterval
        return Double(count) / seconds
    }

    static func format(_ rate: Double) -> String {
        let rounded = Int((rate / 1000).rounded()) * 1000
        return rounded.formatted(.number.grouping(.automatic))
    }
}
