import AgentStore
import AgentStoreSQLite
import AgentTesting
import FlxpointSandbox
import Foundation
import FulfillmentCore
import Testing

/// SIGKILL at 20 moments of a 250-FR backlog, restarting each time: in the end every FR has
/// exactly one effective answer, every decision is logged, reservations match the answers,
/// and the database is sound. Runs with the agent's real rate limiter, under two kinds of
/// ambiguous failure: replies lost after the write, and 5xx after the write with reads that
/// lag behind it. The 20 moments are two runs of 10 on their own backlog each (one while FRs
/// are still undecided, one around the sends), so the four runs go side by side.
@Suite("Crash safety")
struct CrashSafetyTests {
    enum Faults: String, CaseIterable, Sendable {
        case lostReplies = #"{"drop_rate": 0.1}"#
        case appliedThen5xxWithLaggingReads = #"{"fail_after_apply_rate": 0.1, "read_lag_ms": 50}"#
    }

    /// Exact points first while FRs are still undecided, then points around the send, with kills
    /// from outside at random moments in between: 20 kills in all. Decisions commit 200 at a
    /// time: the first run dies after the first 200, mid-way through reporting them; the second
    /// after committing the other 50.
    static let plan: [String?] = [
        "after-decision-commit:5", "after-decision-commit:40", nil, "before-send:2",
        "before-send:3", nil, "after-send:4", "before-send:9", nil, "after-send:12", nil, "after-send:1",
        "before-send:1", nil, "after-send:7", nil, "before-send:15", nil, "after-send:20", nil,
    ]

    @Test(
        "SIGKILL at 20 moments loses no decision and sends no answer twice",
        arguments: Faults.allCases, [Self.plan.prefix(10), Self.plan.suffix(10)])
    func killAndRestart(faults: Faults, plan: ArraySlice<String?>) async throws {
        let directory = try Scratch.directory("agent-crash")
        defer { try? FileManager.default.removeItem(at: directory) }
        let db = directory.appendingPathComponent("agent.sqlite").path
        let rules = directory.appendingPathComponent("rules.yaml").path
        try AgentFixture.rulesWithoutGuard.write(toFile: rules, atomically: true, encoding: .utf8)
        let seed = SandboxSeed.generate(count: 250, seed: 5, now: Date())
        let stockFile = directory.appendingPathComponent("stock.csv").path
        try seed.stockCSV.write(toFile: stockFile, atomically: true, encoding: .utf8)
        #expect(try await AgentBinary.run(["stock", "import", stockFile, "--db", db]).status == 0)
        let env = ["FLXPOINT_SOURCE_TOKEN": Harness.token]

        try await Harness.withSandbox(frs: seed.frs) { config in
            config.latency = .milliseconds(15)  // slow enough that kills land mid-work
        } _: { url, sandbox in
            let set = await HTTPProbe.post(url + "/_sandbox/faults", json: Data(faults.rawValue.utf8), method: "PUT")
            #expect(set?.status == 200)
            let arguments = [
                "run", "--db", db, "--rules", rules, "--api-url", url, "--max-rps", "100", "--interval", "0.2s",
            ]
            var generator = SeededGenerator(seed: 42)
            var killed = 0
            var selfKilled = 0
            for point in plan {
                var environment = env
                if let point { environment["SOURCE_AGENT_CRASH_AT"] = point }
                let agent = try AgentBinary.launch(arguments, environment: environment)
                // Twenty seconds: on a loaded 2-core machine (the whole suite at once) reaching
                // the twentieth send of a run has taken longer than ten.
                if point != nil, await agent.waitForExit(timeout: .seconds(20)) {
                    if await agent.wait().status == SIGKILL { selfKilled += 1 }
                } else {
                    if point == nil { try await Task.sleep(for: .milliseconds(Int(generator.next() % 500) + 100)) }
                    agent.signal(SIGKILL)
                    _ = await agent.wait()
                }
                killed += 1
            }
            // A point may be passed before the run reaches it (its work done by an earlier run).
            #expect(selfKilled >= plan.compactMap { $0 }.count - 2)
            #expect(killed == 10)
            // Finally let it finish in peace: a cycle at a time until every answer is through (at most three).
            let database = try AgentDatabase.open(path: db)
            for _ in 0..<3 {
                let output = try await AgentBinary.run(arguments + ["--once"], environment: env)
                #expect(output.status == 0, "\(output.stderr.suffix(500))")
                if try await database.outbox().allSatisfy({ $0.state == .done }) { break }
            }

            #expect(try await database.integrityProblems() == [])
            let outbox = try await database.outbox()
            let stats = await sandbox.stats()
            #expect(outbox.allSatisfy { $0.state == .done }, "\(outbox.filter { $0.state != .done }.map(\.lastError))")
            #expect(stats.duplicates == 0 && stats.contradictions == 0)
            #expect(stats.answers.values.allSatisfy { $0 == 1 })
            #expect(Set(stats.answers.keys.compactMap(Int.init)) == Set(outbox.map(\.frId)))
            // Every FR was decided and every answered FR has exactly one answering decision.
            #expect(try await database.decidedFRIds().count == 250)
            for row in outbox {
                let decisions = try await database.decisions(forFR: String(row.frId)).filter { $0.decision != .hold }
                #expect(decisions.count == 1 && decisions[0].id == row.decisionId)
                let fr = try #require(await sandbox.fulfillmentRequest(id: row.frId))
                #expect(fr.acknowledgedAt != nil || fr.status == "Canceled")
            }
            // Reservations belong to answered decisions only, and never exceed stock.
            let answeredDecisions = Set(outbox.map(\.decisionId))
            let held = try await database.reservations(state: .held)
            #expect(held.allSatisfy { answeredDecisions.contains($0.decisionId) })
            var reserved: [String: Int] = [:]
            for r in held { reserved[r.sku, default: 0] += r.quantity }
            let onHand = Dictionary(seed.stock.map { ($0.sku, $0.onHand) }, uniquingKeysWith: +)
            for (sku, units) in reserved { #expect(units <= onHand[sku] ?? 0) }
            switch faults {
            case .lostReplies: #expect(stats.dropped > 0)
            case .appliedThen5xxWithLaggingReads: #expect(stats.failuresInjected > 0)
            }
            #expect(stats.rateLimited == 0)
        }
    }
}
