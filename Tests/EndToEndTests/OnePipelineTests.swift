import AgentStore
import AgentTesting
import FlxpointSandbox
import Foundation
import FulfillmentCore
import SourceAgent
import Testing

/// `dry-run` shows what `run` would do: the same FRs, stock and "now" give the same decisions,
/// a guard trip included, because both decide through `DecisionCycle`.
@Suite("One decision pipeline")
struct OnePipelineTests {
    static let guarded = AgentFixture.rulesWithoutGuard + "\nguards: { max_cancel_share: 0.5, min_cycle_size: 10 }\n"

    @Test(
        "dry-run and run agree on the same FRs, stock and now, guard trip included, whether run keeps the FRs in memory or reads them back",
        arguments: [5000, 4])
    func dryRunAgreesWithRun(inMemory: Int) async throws {
        // 3 units of A for 12 FRs of one each: 3 acknowledged, 9 would be cancelled, so the guard trips.
        let frs = AgentFixture.simpleFRs(Array(repeating: ("A", 1), count: 12))
        let keep: @Sendable (inout AgentSettings) -> Void = { $0.cycleFRsInMemory = inMemory }
        try await AgentFixture.withAgent(
            wire: .http,
            frs: frs, stock: AgentFixture.stock(["A": 3]), rules: Self.guarded, settings: keep
        ) {
            context in
            let report = try await context.agent.cycle.run()
            #expect(report.guardTripped)
            var ran: [String] = []
            for fr in frs {
                let row = try #require(try await context.database.decisions(forFR: String(fr.id)).last)
                ran.append("\(row.frId) \(row.decision.rawValue) \(row.rule) \(row.reason?.rawValue ?? "-")")
                // Replay's input: the FR as decided, kept in memory or read back.
                #expect(row.frJSON.map { try? FRListDecoder.decodeOne(Data($0.utf8)).id } == fr.id)
            }

            let input = context.directory.appendingPathComponent("frs.json").path
            try JSONEncoder().encode(frs).write(to: URL(fileURLWithPath: input))
            let stock = context.directory.appendingPathComponent("stock.csv").path
            try "sku,on_hand,location\nA,3,dallas\n".write(toFile: stock, atomically: true, encoding: .utf8)
            let output = try await AgentBinary.run([
                "dry-run", "--input", input, "--stock", stock, "--now", Timestamp.utcString(Harness.now),
                "--rules", context.directory.appendingPathComponent("rules.yaml").path, "--format", "json",
            ])
            #expect(output.status == 3)
            #expect(output.stderr.contains("guard tripped: 9 of 12 FRs would be cancelled"), "\(output.stderr)")
            let shown = try JSONDecoder().decode([DecisionOutput].self, from: Data(output.stdout.utf8))
            let dry = shown.map { "\($0.frId) \($0.decision.rawValue) \($0.rule) \($0.reason?.rawValue ?? "-")" }
            #expect(dry == ran)
            #expect(dry.filter { $0.hasSuffix(" guard") }.count == 9)
        }
    }

    @Test(
        "run's cycle and batch deciding give the same decisions, every field, from the same FRs, stock and clock",
        arguments: [false, true])
    func cycleEqualsBatch(guarded: Bool) async throws {
        // Acknowledged, split, cancelled and held (a bad address) FRs; with the guard, 12 FRs of
        // which the cancels trip it and turn into holds.
        var lines = AgentFixture.simpleFRs(
            [("A", 1), ("A", 2), ("B", 5), ("A", 3)] + Array(repeating: ("C", 1), count: 8))
        lines[0].shippingAddress?.postal = "not a zip"
        let frs = lines
        let stock = AgentFixture.stock(["A": 4, "B": 2])
        try await AgentFixture.withAgent(
            frs: frs, stock: stock, rules: guarded ? Self.guarded : AgentFixture.rulesWithoutGuard
        ) { context in
            let report = try await context.agent.cycle.run()
            #expect(report.guardTripped == guarded)
            var ran: [FRDecision] = []
            for fr in frs {
                let row = try #require(try await context.database.decisions(forFR: String(fr.id)).last)
                ran.append(try await context.database.fullDecision(row))
            }
            var ledger = StockLedger(levels: stock, reservations: [])
            let batch = DecisionCycle.decide(
                frs, ruleSet: await context.agent.rules.current, ledger: &ledger, now: context.clock.now)
            #expect(batch.guardTripped == guarded)
            let byId = Dictionary(uniqueKeysWithValues: batch.decisions.map { ($0.frId, $0) })
            #expect(Set(ran.map(\.decision)).count >= 3)
            for decision in ran {
                #expect(decision == byId[decision.frId], "FR \(decision.frId)")
            }
        }
    }
}
