import AgentTesting
import FlxpointSandbox
import Foundation
import FulfillmentCore
import Testing

/// One policy for the fleet, with real processes on one PostgreSQL store, each "machine" with
/// its own copy of the rule file: a rule applied on the holder's console survives the holder's
/// death; `rules apply` run beside the standby, and an edited file + SIGHUP on the standby,
/// change what the holder decides; a machine started with an older copy does not roll the
/// fleet back.
@Suite("One policy for the fleet")
struct FleetPolicyTests {
    static let arguments = ["--max-rps", "50", "--interval", "0.3s", "--lease-ttl", "3s", "--lease-renew", "1s"]

    /// A rule holding every FR with `sku`, first in the file.
    static func holding(_ sku: String, in text: String, named name: String) -> String {
        text.replacingOccurrences(
            of: "rules:\n",
            with: """
                rules:
                  - name: \(name)
                    when: any(items, item.sku == "\(sku)")
                    then: hold
                    note: recall check

                """)
    }

    @Test(
        "a rule applied anywhere decides the next FR on whichever machine answers; an old copy rolls nothing back")
    func onePolicy() async throws {
        guard let cluster = try await PostgresCluster.shared() else {
            try Test.cancel(Comment(rawValue: PostgresCluster.skipReason))
        }
        let databaseURL = try await cluster.makeMigratedDatabase("fleet_policy")
        defer { cluster.dropDatabase(url: databaseURL) }
        let name = PostgresCluster.databaseName(databaseURL)
        let directory = try Scratch.directory("fleet-policy")
        defer { try? FileManager.default.removeItem(at: directory) }
        let original = AgentFixture.rulesWithoutGuard
        // Each machine's own copy of the same rule file, in its own folder.
        var copies: [String: String] = [:]
        for machine in ["a", "b", "c"] {
            let folder = directory.appendingPathComponent(machine)
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            copies[machine] = folder.appendingPathComponent("rules.yaml").path
            try original.write(toFile: copies[machine]!, atomically: true, encoding: .utf8)
        }
        let files = copies
        let stock = directory.appendingPathComponent("stock.csv").path
        try "sku,on_hand,location\nFLEET-1,50,dallas\nFLEET-2,50,dallas\nFLEET-3,50,dallas\nPLAIN,50,dallas\n"
            .write(toFile: stock, atomically: true, encoding: .utf8)
        let env = cluster.environment.merging(["FLXPOINT_SOURCE_TOKEN": Harness.token]) { $1 }
        let imported = try await AgentBinary.run(
            ["stock", "import", stock, "--database", databaseURL], environment: env)
        #expect(imported.status == 0, "\(imported.stderr)")

        try await Harness.withSandbox(frs: []) { url, sandbox in
            func run(_ machine: String, console: Int? = nil) throws -> RunningAgent {
                try AgentBinary.launch(
                    ["run", "--database", databaseURL, "--rules", files[machine]!, "--api-url", url] + Self.arguments
                        + (console.map { ["--console-port", "\($0)"] } ?? []), environment: env)
            }
            /// Adds an FR for `sku` and waits for its decision's rule.
            var nextId = 91_001
            func decide(_ sku: String) async throws -> String? {
                var fr = AgentFixture.simpleFRs([(sku, 1)], firstId: nextId)[0]
                fr.generatedAt = Date()
                await sandbox.add(fr)
                nextId += 1
                var rule: String?
                _ = await RunningAgent.eventually(timeout: .seconds(30)) {
                    rule = try? await cluster.psql("SELECT rule FROM decision WHERE fr_id = \(fr.id)", database: name)
                        .trimmingCharacters(in: .whitespacesAndNewlines)
                    return !(rule ?? "").isEmpty
                }
                return rule
            }
            /// Waits until every live process has loaded the version in force; returns how long it took.
            func converged(processes: Int) async -> Double? {
                let start = Date()
                let done = await RunningAgent.eventually(timeout: .seconds(20)) {
                    let behind = try? await cluster.psql(
                        """
                        SELECT count(*) FILTER (WHERE l.version_id IS DISTINCT FROM f.version_id) || ' '
                               || count(*) FROM rule_load l JOIN rule_in_force f ON f.name = l.name
                        WHERE l.seen_at > now() - interval '2 seconds'
                        """, database: name
                    ).trimmingCharacters(in: .whitespacesAndNewlines)
                    return behind == "0 \(processes)"
                }
                return done ? Date().timeIntervalSince(start) : nil
            }

            let consolePort = try FreePort.loopback()
            var a = try run("a", console: consolePort)
            defer { a.signal(SIGKILL) }
            _ = await RunningAgent.eventually(timeout: .seconds(20)) {
                (try? await cluster.leaseHolder(database: name)) == a.pid
            }
            var b = try run("b")
            defer { b.signal(SIGKILL) }
            #expect(try await decide("PLAIN") == "complete")

            // 1. On A's console, a rule holding FLEET-1; A holds such FRs.
            let console = ConsoleTests.Console(base: "http://127.0.0.1:\(consolePort)")
            let page = try #require(await console.get("/rules")).body
            let token = try #require(await console.csrf())
            let base = try #require(ConsoleRulesTests.field("base", in: page))
            let recall = Self.holding("FLEET-1", in: original, named: "recall-check")
            let applyStarted = Date()
            let applied = try #require(
                await console.post(
                    "/rules/edit",
                    [("csrf", token), ("by", "ana"), ("base", base), ("text", recall), ("step", "apply")]))
            #expect(applied.status == 200 && applied.body.contains("in force for the fleet"), "\(applied.body)")
            var switches: [Double] = []
            if await converged(processes: 2) != nil { switches.append(Date().timeIntervalSince(applyStarted)) }
            #expect(try await decide("FLEET-1") == "recall-check")
            #expect(try String(contentsOfFile: files["b"]!, encoding: .utf8) == recall, "B's copy follows the fleet")

            // 2. A dies; B takes the source over and decides the next such FR by the applied rule.
            a.signal(SIGKILL)
            _ = await a.wait()
            #expect(
                await RunningAgent.eventually(timeout: .seconds(20)) {
                    (try? await cluster.leaseHolder(database: name)) == b.pid
                })
            #expect(try await decide("FLEET-1") == "recall-check")

            // 3. A comes back as a standby with its console: the FR B held is decided there, and
            // B, which answers the source, sends it.
            let standbyPort = try FreePort.loopback()
            a = try run("a", console: standbyPort)
            #expect(await converged(processes: 2) != nil)
            let held = nextId - 1
            let standby = ConsoleTests.Console(base: "http://127.0.0.1:\(standbyPort)")
            #expect(await RunningAgent.eventually { await standby.csrf() != nil })
            let overview = try #require(await standby.get("/")).body
            #expect(overview.contains("id=\"fleet-leases\"") && overview.contains("<td>default</td>"))
            #expect(overview.contains(":\(b.pid)</td>"), "the standby's console names the holder")
            let standbyToken = try #require(await standby.csrf())
            let fields = [
                ("csrf", standbyToken), ("by", "oli"), ("fr", "\(held)"), ("action", "acknowledge"),
                ("note", "recall cleared"),
            ]
            let decided = try #require(await standby.post("/decide", fields))
            #expect(decided.status == 200, "\(decided.body)")
            let sent = await RunningAgent.eventually(timeout: .seconds(20)) {
                await sandbox.stats().answers["\(held)"] == 1
            }
            let answer = try await cluster.psql(
                "SELECT o.state || ' ' || coalesce(o.last_error, '') FROM outbox o WHERE o.fr_id = \(held)",
                database: name)
            #expect(sent, "answer: \(answer); B: \(b.stderr.split(separator: "\n").suffix(8).joined(separator: "\n"))")

            // 4. `rules apply` on machine A (the standby) while B holds the source.
            let two = Self.holding("FLEET-2", in: recall, named: "second-recall")
            let twoFile = directory.appendingPathComponent("two.yaml").path
            try two.write(toFile: twoFile, atomically: true, encoding: .utf8)
            let apply = try await AgentBinary.run(
                [
                    "rules", "apply", twoFile, "--note", "second recall", "--rules", files["a"]!, "--database",
                    databaseURL,
                ],
                environment: env)
            #expect(apply.status == 0 && apply.stdout.contains("is in force for the fleet"), "\(apply.stderr)")
            var started = Date()
            if await converged(processes: 2) != nil { switches.append(Date().timeIntervalSince(started)) }
            #expect(try await decide("FLEET-2") == "second-recall")
            #expect(try String(contentsOfFile: files["a"]!, encoding: .utf8) == two)

            // 5. An edited file and SIGHUP on the standby (A): the holder (B) decides by it.
            let three = Self.holding("FLEET-3", in: two, named: "third-recall")
            try three.write(toFile: files["a"]!, atomically: true, encoding: .utf8)
            started = Date()
            a.signal(SIGHUP)
            if await converged(processes: 2) != nil { switches.append(Date().timeIntervalSince(started)) }
            #expect(try await decide("FLEET-3") == "third-recall")
            #expect(
                await RunningAgent.eventually { (try? String(contentsOfFile: files["b"]!, encoding: .utf8)) == three })

            // 6. A machine started with an older copy (the original file) does not roll the fleet back.
            let inForce = SHA256.hex(Array(three.utf8))
            let old = SHA256.hex(Array(original.utf8))
            let c = try run("c")
            defer { c.signal(SIGKILL) }
            #expect(await converged(processes: 3) != nil)
            #expect(
                await RunningAgent.eventually { c.stderr.contains(inForce) && c.stderr.contains(old) }, "\(c.stderr)")
            #expect(c.stderr.contains("is an older copy of the fleet's rules"))
            #expect(try String(contentsOfFile: files["c"]!, encoding: .utf8) == three)
            #expect(try String(contentsOfFile: files["c"]! + ".previous", encoding: .utf8) == original)
            c.signal(SIGHUP)  // its file is the version in force now: nothing to apply
            #expect(try await decide("FLEET-3") == "third-recall")
            let status = try await AgentBinary.run(["rules", "status", "--database", databaseURL], environment: env)
            #expect(status.status == 0 && status.stdout.contains("up to date"), "\(status.stdout)\(status.stderr)")
            #expect(!status.stdout.contains("OUT OF DATE"))
            let versions = try await cluster.psql("SELECT count(*) FROM rule_version", database: name)
            #expect(versions.trimmingCharacters(in: .whitespacesAndNewlines) == "4", "first, console, apply, SIGHUP")
            let stats = await sandbox.stats()
            #expect(stats.duplicates == 0 && stats.contradictions == 0)
            print(
                "fleet policy: every live process on the new version (the holder within one cycle) "
                    + switches.map { String(format: "%.2fs", $0) }.joined(separator: ", ")
                    + " after the console's apply, 'rules apply' and SIGHUP (interval 0.3s)")
            #expect(switches.count == 3)
            for agent in [a, b, c] { agent.signal(SIGTERM) }
            for agent in [a, b, c] { _ = await agent.waitForExit(timeout: .seconds(10)) }
        }
    }
}
