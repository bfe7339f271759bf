import AgentStoreSQLite
import AgentTesting
import FlxpointSandbox
import Foundation
import FulfillmentCore
import Testing

/// Stock on its way through the loop, as a warehouse runs it: the binary against the sandbox
/// over loopback HTTP, the agent's clock at the fixture's Friday morning.
@Suite("Stock on its way through the whole loop")
struct InboundEndToEndTests {
    static let rules = AgentFixture.rulesAnsweringEvery.replacingOccurrences(
        of: "rules:\n",
        with: """
            rules:
              - name: promise-the-po
                when: stock.covers_all_in_time and not stock.covers_all
                then: acknowledge
                from: inbound

            """)

    @Test("an FR due Tuesday is promised Monday's arrival, not Wednesday's; answered once; the count receives it")
    func inboundLoop() async throws {
        let directory = try Scratch.directory("inbound-e2e")
        defer { try? FileManager.default.removeItem(at: directory) }
        @Sendable func file(_ name: String, _ text: String) throws -> String {
            let path = directory.appendingPathComponent(name).path
            try text.write(toFile: path, atomically: true, encoding: .utf8)
            return path
        }
        let db = directory.appendingPathComponent("agent.sqlite").path
        let env = ["FLXPOINT_SOURCE_TOKEN": Harness.token].merging(AgentBinary.clock(at: Harness.now)) { $1 }
        let rules = try file("rules.yaml", Self.rules)
        let stock = try file("stock.csv", "sku,on_hand,location\nMUG,1,dallas\n")
        let inbound = try file(
            "po.csv",
            "sku,quantity,expected_at,location\nMUG,2,2026-11-30T10:00:00-06:00,dallas\n"
                + "MUG,10,2026-12-02T10:00:00-06:00,dallas\n")
        #expect(try await AgentBinary.run(["stock", "import", stock, "--db", db], environment: env).status == 0)
        let imported = try await AgentBinary.run(["stock", "inbound", "import", inbound, "--db", db], environment: env)
        #expect(imported.stdout == "imported 2 arrivals: 12 units of 1 SKU\n", "\(imported.stderr)")

        // Harness.now is Friday 2026-11-27; two FRs must ship by Tuesday, one has no ship-by.
        var seeded = AgentFixture.simpleFRs([("MUG", 3), ("MUG", 1), ("MUG", 4)], firstId: 72_001)
        let tuesday = ShipBy.day(LocalDate(year: 2026, month: 12, day: 1)!)
        seeded[0].shipBy = tuesday
        seeded[1].shipBy = tuesday
        let frs = seeded
        try await Harness.withSandbox(frs: frs) { url, sandbox in
            let connection = ["--db", db, "--api-url", url, "--max-rps", "0"]
            for _ in 0..<2 {
                let run = try await AgentBinary.run(["run", "--once", "--rules", rules] + connection, environment: env)
                #expect(run.status == 0, "\(run.stderr)")
            }
            let stats = await sandbox.stats()
            #expect(stats.answers.count == 3 && stats.answers.values.allSatisfy { $0 == 1 } && stats.duplicates == 0)
            var acknowledged: [Int] = []
            for fr in frs {
                acknowledged.append(await sandbox.fulfillmentRequest(id: fr.id)?.items.first?.acknowledgedQuantity ?? 0)
            }
            // 1 on the shelf + Monday's 2; nothing left in time for the second; Wednesday's for the third.
            #expect(acknowledged == [3, 0, 4])
            let explain = try await AgentBinary.run(
                ["explain", "FR-72001", "--db", db, "--rules", rules], environment: env)
            #expect(
                explain.stdout.contains(
                    "on its way: 2 × MUG lands Mon 2026-11-30 at dallas, ships 2026-11-30T14:00-06:00"),
                "\(explain.stdout)")
            let listed = try await AgentBinary.run(["stock", "inbound", "list", "--db", db], environment: env)
            #expect(listed.stdout.contains("2026-11-30T16:00:00Z  2      0"), "\(listed.stdout)")
            #expect(listed.stdout.contains("2026-12-02T16:00:00Z  10     6"), "\(listed.stdout)")

            // The PO slips to Wednesday: the promise no longer makes Tuesday. Said at the import,
            // alerted (once) by the next cycle, never left to be found late.
            let slipped = try file(
                "po-slipped.csv",
                "sku,quantity,expected_at,location\nMUG,2,2026-12-02T10:00:00-06:00,dallas\n"
                    + "MUG,10,2026-12-02T10:00:00-06:00,dallas\n")
            let moved = try await AgentBinary.run(
                ["stock", "inbound", "import", slipped, "--db", db, "--rules", rules], environment: env)
            #expect(
                moved.stderr.contains(
                    "warning: FR-72001: 2 × MUG promised from the arrival of Mon 2026-11-30 at dallas, now expected "
                        + "Wed 2026-12-02: it misses the FR's ship-by"), "\(moved.stderr)")
            let receiver = WebhookReceiver()
            try await receiver.withRunning { hook in
                for _ in 0..<2 {
                    let run = try await AgentBinary.run(
                        ["run", "--once", "--rules", rules, "--alert-webhook", hook] + connection, environment: env)
                    #expect(run.status == 0, "\(run.stderr)")
                }
            }
            let report = try await AgentBinary.run(
                ["report", "--db", db, "--rules", rules, "--since", "2000-01-01T00:00:00Z", "--format", "markdown"],
                environment: env)
            #expect(
                report.stdout.contains(
                    "| promised against stock on its way | 2 FRs, 6 units; 1 no longer in time for the ship-by |"),
                "\(report.stdout.prefix(3000))")
            let heard = receiver.events.filter { $0["event"] as? String == "inbound_slipped" }
            #expect(heard.compactMap { $0["fr_number"] as? String } == ["FR-72001"], "\(receiver.events)")
            #expect(
                (heard.first?["text"] as? String)?.hasPrefix("source-agent inbound_slipped FR-72001: 2 × MUG promised")
                    == true, "\(heard)")
            // Back on Monday: nothing to say.
            let back = try await AgentBinary.run(
                ["stock", "inbound", "import", inbound, "--db", db, "--rules", rules], environment: env)
            #expect(back.status == 0 && !back.stderr.contains("warning"), "\(back.stderr)")

            // Monday evening's count has the 2 that landed: the arrival is received, not counted twice.
            let recount = try file("recount.csv", "sku,on_hand,location\nMUG,3,dallas\n")
            #expect(
                try await AgentBinary.run(
                    ["stock", "import", recount, "--db", db, "--as-of", "2026-11-30T18:00:00-06:00"], environment: env
                ).status == 0)
            let after = try await AgentBinary.run(["stock", "inbound", "list", "--db", db], environment: env)
            #expect(
                after.stdout.contains("1 not yet counted") && !after.stdout.contains("2026-11-30T16"), "\(after.stdout)"
            )
            let ledger = try await AgentDatabase.open(path: db).loadLedger()
            // The 3 counted hold the first FR's 1 from the shelf and 2 from the arrival: none free.
            #expect(ledger.free(sku: "MUG", location: "dallas") == 0 && ledger.arrivals(of: "MUG").map(\.free) == [6])
        }
    }
}
