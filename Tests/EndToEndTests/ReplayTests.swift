import AgentStore
import AgentTesting
import FlxpointSandbox
import Foundation
import FulfillmentCore
import Testing

/// `replay` re-decides logged decisions from their stored inputs: the rules that made them
/// reproduce every one, and a changed rule changes exactly the decisions it should.
@Suite("replay")
struct ReplayTests {
    @Test(
        "400 logged decisions over a stock import and a restart: same rules change nothing, a renamed rule exactly its own"
    )
    func replay() async throws {
        let example = try String(contentsOfFile: "rules.example.yaml", encoding: .utf8)
        let dayOne = SandboxSeed.generate(count: 200, seed: 11, now: Harness.now)
        let dayTwo = SandboxSeed.generate(count: 200, seed: 12, now: Harness.now, firstId: 60_001)
        try await AgentFixture.withAgent(
            wire: .http, frs: dayOne.frs, stock: dayOne.stock, rules: example, requestsPerSecond: 0
        ) {
            context in
            _ = try await context.agent.cycle.run()
            try await context.database.replaceStock(dayTwo.stock, source: "day two", at: context.clock.now)
            for fr in dayTwo.frs { await context.sandbox.add(fr) }
            context.clock.advance(by: 3600)
            _ = try await context.agent.cycle.run()

            let db = context.directory.appendingPathComponent("agent.sqlite").path
            let rules = context.directory.appendingPathComponent("rules.yaml").path
            // A separate process reading the file: the agent's memory plays no part (a restart).
            let same = try await AgentBinary.run(["replay", "--db", db, "--rules", rules, "--format", "json"])
            #expect(same.status == 0, "\(same.stderr)")
            let unchanged = try JSONSerialization.jsonObject(with: Data(same.stdout.utf8)) as? [String: Any]
            let replayed = try #require(unchanged?["replayed"] as? Int)
            #expect(replayed >= 400)
            #expect(unchanged?["changed"] as? Int == 0, "\(same.stdout.prefix(2000))")

            let renamed = context.directory.appendingPathComponent("renamed.yaml").path
            try example.replacingOccurrences(of: "name: ship-complete", with: "name: ship-all")
                .write(toFile: renamed, atomically: true, encoding: .utf8)
            let changed = try await AgentBinary.run(["replay", "--db", db, "--rules", renamed, "--format", "json"])
            let report = try JSONSerialization.jsonObject(with: Data(changed.stdout.utf8)) as? [String: Any]
            var expected: Set<Int> = []
            for fr in dayOne.frs + dayTwo.frs {
                for row in try await context.database.decisions(forFR: String(fr.id)) where row.rule == "ship-complete"
                {
                    expected.insert(row.frId)
                }
            }
            #expect(!expected.isEmpty)
            let changes = report?["changes"] as? [[String: Any]] ?? []
            #expect(Set(changes.compactMap { $0["fr_id"] as? Int }) == expected)
            #expect((report?["by_change"] as? [String: Int]) == ["rule": changes.count, "decision": 0, "lines": 0])

            let table = try await AgentBinary.run(["replay", "--db", db, "--rules", renamed, "--since", "2026-11-27"])
            #expect(table.stdout.contains("ship-complete) → acknowledge (ship-all)"))
            #expect(table.stdout.contains("\(replayed) decisions replayed, \(changes.count) would change"))
        }
    }
}

/// A decision log written by the release before kits, inbound stock and per-location calendars.
@Suite("replay of an older log")
struct OlderLogReplayTests {
    @Test("a log written before kits migrates and replays every decision unchanged under the same policy")
    func beforeKits() async throws {
        let directory = try Scratch.directory("older-log")
        defer { try? FileManager.default.removeItem(at: directory) }
        let db = directory.appendingPathComponent("agent.sqlite").path
        // 80 demo FRs decided, answered and shipped by that release (`demo --frs 80`), stored gzipped.
        let fixture = AgentBinary.repositoryRoot.appendingPathComponent(
            "Tests/EndToEndTests/Fixtures/log-before-kits.sqlite.gz")
        let unzipped = try await AgentBinary.runScript("gzip -dc '\(fixture.path)' > agent.sqlite", in: directory)
        #expect(unzipped.status == 0, "\(unzipped.stderr)")
        // Before its migration the new build names what is missing rather than guess.
        let early = try await AgentBinary.run(["replay", "--db", db, "--rules", "rules.example.yaml"])
        #expect(early.status != 0 && early.stderr.contains("missing v14: kits"), "\(early.stderr)")
        #expect(try await AgentBinary.run(["migrate", "--db", db]).status == 0)
        let replay = try await AgentBinary.run(
            [
                "replay", "--db", db, "--rules", "rules.example.yaml", "--since", "2000-01-01T00:00:00Z", "--format",
                "json",
            ])
        #expect(replay.status == 0, "\(replay.stderr)")
        let report = try JSONSerialization.jsonObject(with: Data(replay.stdout.utf8)) as? [String: Any]
        #expect(report?["replayed"] as? Int == 78 && report?["changed"] as? Int == 0, "\(replay.stdout.prefix(2000))")
        let kits = try await AgentBinary.run(["kits", "list", "--db", db])
        #expect(kits.stdout.contains("has no kits"), "\(kits.stdout)")
    }
}
