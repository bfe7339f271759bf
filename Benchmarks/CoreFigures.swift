import Foundation
import FulfillmentCore

/// In-process figures on one core: reading FRs, evaluating rules, deciding.
extension Workloads {
    func core() throws -> [Figure] {
        let count = size(20_000)
        let data = try Data(contentsOf: URL(fileURLWithPath: try frFile(count).frs))
        let decode = try repeated(warmUp: true) {
            let clock = ContinuousClock.now
            let decoded = try FRListDecoder.decodeKeepingRaw(data)
            guard decoded.count == count else { throw BenchmarkError("decoded \(decoded.count) of \(count)") }
            return Double(count) / Self.seconds(ContinuousClock.now - clock)
        }
        let frs = try FRListDecoder.decode(data).map { try $0.get() }
        let levels = try StockCSV.parse(String(contentsOfFile: try frFile(count).stock, encoding: .utf8)).get()
        var ledger = StockLedger(levels: levels)
        let pairs = frs.map { fr in (fr, Decider.decide(fr, ruleSet: ruleSet, ledger: &ledger, now: now).facts) }

        func evaluate(traced: Bool) -> Double {
            let evaluations = options.quick ? 10_000 : 500_000
            var sink = 0
            let clock = ContinuousClock.now
            for index in 0..<evaluations {
                let (fr, facts) = pairs[index % pairs.count]
                sink &+= ruleSet.decide(fr, facts: facts, traced: traced).rule.utf8.count
            }
            let seconds = Self.seconds(ContinuousClock.now - clock)
            if sink == 42 { print("") }  // keeps the optimiser from dropping the work
            return Double(evaluations) / seconds
        }
        // A third of the stocked SKUs sold as kits of two others, so a third of the lines are
        // promised from components: what a kit-heavy catalogue costs.
        let skus = Array(Set(levels.map(\.sku))).sorted()
        let kitted = try KitCatalog(
            stride(from: 0, to: skus.count - 2, by: 3).map { at in
                Kit(
                    sku: skus[at],
                    components: [.init(sku: skus[at + 1], quantity: 1), .init(sku: skus[at + 2], quantity: 2)])
            })
        let kitLines = frs.reduce(0) { $0 + $1.items.count { kitted.isKit($0.sku ?? "") } }
        let allLines = frs.reduce(0) { $0 + $1.items.count }
        func decideAll(traced: Bool, kits: KitCatalog = .empty) -> Double {
            var ledger = StockLedger(levels: levels, kits: kits)
            var sink = 0
            let clock = ContinuousClock.now
            for fr in frs {
                sink &+= Decider.decide(fr, ruleSet: ruleSet, ledger: &ledger, now: now, traced: traced).lines.count
            }
            let seconds = Self.seconds(ContinuousClock.now - clock)
            if sink == 42 { print("") }
            return Double(frs.count) / seconds
        }
        let rules = ruleSet.ruleNames.count - 1
        // `matches` on what a hostile FR can send: a 1,001-character subject that almost
        // matches. A backtracking engine took 12 s for 41 characters on the first pattern.
        let hostile = String(repeating: "a", count: 1_000) + "!"
        func matching(_ pattern: String) throws -> [Double] {
            let program = try PatternProgram(pattern)
            return try repeated(warmUp: true) {
                let count = options.quick ? 10 : 1_000
                var sink = 0
                let clock = ContinuousClock.now
                for _ in 0..<count where program.matches(hostile) { sink += 1 }
                if sink == 42 { print("") }
                return Double(count) / Self.seconds(ContinuousClock.now - clock)
            }
        }
        return [
            Figure(
                name: "matches \"(a|a)*$\" on 1,000 × a + !", unit: "matches/s", runs: try matching("(a|a)*$"),
                goal: nil, detail: "exponential in a backtracking engine; linear here"),
            Figure(
                name: "matches \"(.*a){25}$\" on 1,000 × a + !", unit: "matches/s", runs: try matching("(.*a){25}$"),
                goal: nil, detail: "the largest of the probe's patterns: 25 nested repeats"),
            Figure(
                name: "read FRs (JSON → FRs, with their raw text)", unit: "FRs/s", runs: decode, goal: nil,
                detail: "\(count) generated FRs, \(data.count / 1_000_000) MB"),
            Figure(
                name: "rule evaluation, facts precomputed", unit: "decisions/s",
                runs: repeated(warmUp: true) { evaluate(traced: false) }, goal: "≥ 1,000,000",
                detail: "\(rules) rules + default, no check trace"),
            Figure(
                name: "rule evaluation, with the check trace", unit: "decisions/s",
                runs: repeated(warmUp: true) { evaluate(traced: true) }, goal: nil,
                detail: "what run stores and dry-run --format json prints"),
            Figure(
                name: "full decision (facts, rules, reservations)", unit: "decisions/s",
                runs: repeated(warmUp: true) { decideAll(traced: false) }, goal: "≥ 150,000",
                detail: "\(frs.count) FRs oldest first against one ledger, no check trace"),
            Figure(
                name: "full decision, with the check trace", unit: "decisions/s",
                runs: repeated(warmUp: true) { decideAll(traced: true) }, goal: nil, detail: "as run decides"),
            Figure(
                name: "full decision, a third of the SKUs kits", unit: "decisions/s",
                runs: repeated(warmUp: true) { decideAll(traced: false, kits: kitted) }, goal: nil,
                detail: "\(kitted.kits.count) kits of 2 components; \(kitLines) of \(allLines) lines are kits"),
        ]
    }
}
