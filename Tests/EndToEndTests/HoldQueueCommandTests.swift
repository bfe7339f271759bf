import AgentStore
import AgentTesting
import FlxpointSandbox
import Foundation
import FulfillmentCore
import Testing

/// `holds` and `decide`, run as the real binary against a sandbox, with and without a running agent.
@Suite("holds and decide from a shell")
struct HoldQueueCommandTests {
    static func sampleFRs() throws -> [FulfillmentRequest] {
        try FRListDecoder.decode(
            try Data(contentsOf: AgentBinary.repositoryRoot.appendingPathComponent("examples/frs-sample.json"))
        ).map { try $0.get() }
    }

    /// The token, and the agent's clock at the samples' morning: their ship-by dates are fixed.
    static let env = ["FLXPOINT_SOURCE_TOKEN": Harness.token].merging(AgentBinary.clock(at: AgentBinary.sampleNow)) {
        $1
    }

    /// The binary with `env`: every command of one test sees the same moving clock.
    static func cli(_ arguments: [String]) async throws -> AgentBinary.Output {
        try await AgentBinary.run(arguments, environment: env)
    }

    /// What each test works with: the agent's files and the sandbox serving the sample FRs.
    struct Setup: Sendable {
        let directory: URL
        let db: String
        /// `--db` and `--rules` for every command.
        let rules: [String]
        let url: String
        /// `--api-url` and `--max-rps` for commands that call Flxpoint.
        let api: [String]
        let sandbox: SandboxState
    }

    /// A database with the sample stock, and a sandbox serving the sample FRs.
    static func withSample(_ name: String, _ body: @Sendable (Setup) async throws -> Void) async throws {
        let directory = try Scratch.directory(name)
        defer { try? FileManager.default.removeItem(at: directory) }
        let db = directory.appendingPathComponent("agent.sqlite").path
        #expect(try await Self.cli(["stock", "import", "examples/stock-sample.csv", "--db", db]).status == 0)
        try await Harness.withSandbox(frs: try sampleFRs()) { url, sandbox in
            try await body(
                Setup(
                    directory: directory, db: db, rules: ["--db", db, "--rules", "rules.example.yaml"], url: url,
                    api: ["--api-url", url, "--max-rps", "0"], sandbox: sandbox))
        }
    }

    @Test("without a daemon: holds lists the queue, decide records and --send answers now")
    func withoutDaemon() async throws {
        try await Self.withSample("holds") { setup in
            let (db, rules, url, api, sandbox) = (setup.db, setup.rules, setup.url, setup.api, setup.sandbox)
            #expect(try await Self.cli(["run", "--once"] + rules + api).status == 0)

            let table = try await Self.cli(["holds"] + rules)
            #expect(table.status == 0)
            let lines = table.stdout.split(separator: "\n")
            #expect(lines.first?.hasPrefix("FR       HELD  RULE") == true)
            #expect(lines.count == 4 && table.stdout.contains("military-needs-usps"))
            #expect(table.stdout.contains("until escalates to cancel"))
            let json = try await Self.cli(["holds", "--format", "json"] + rules)
            let entries = try #require(
                try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [[String: Any]])
            #expect(Set(entries.compactMap { $0["fr_number"] as? String }) == ["FR-1003", "FR-1004", "FR-1010"])
            let review = try #require(entries.first { $0["fr_number"] as? String == "FR-1004" })
            #expect(
                review["rule"] as? String == "address-needs-review" && review["escalates_to"] as? String == "cancel")
            #expect(review["ship_by"] as? String == "2026-12-02" && (review["seconds_left"] as? Int ?? 0) > 0)

            // Recorded now, sent by the next run.
            let queued = try await Self.cli(
                ["decide", "FR-1004", "--acknowledge", "--by", "ana", "--note", "address confirmed by phone"] + rules)
            #expect(queued.status == 0, "\(queued.stderr)")
            #expect(
                queued.stdout.contains("FR-1004: acknowledge (1 unit · address confirmed by phone), decided by ana"))
            #expect(queued.stdout.contains("answer queued: the next 'source-agent run' sends it"))
            #expect(await sandbox.stats().answers["1004"] == nil)

            // Sent at once.
            let sent = try await Self.cli(
                ["decide", "FR-1003", "--cancel", "other", "--by", "ana", "--send"] + rules + api)
            #expect(sent.status == 0, "\(sent.stderr)")
            #expect(sent.stdout.contains("answer sent to Flxpoint"))
            #expect(await sandbox.stats().answers["1003"] == 1)

            // Refusals: already answered, bad usage, and the stock guard.
            let twice = try await Self.cli(["decide", "FR-1004", "--cancel", "other"] + rules)
            #expect(twice.status == 1)
            #expect(
                twice.stderr.contains(
                    "refused: FR-1004 is already answered: acknowledge by rule manual (decided by ana)"))
            #expect(try await Self.cli(["decide", "FR-1010"] + rules).status == 2)
            #expect(try await Self.cli(["decide", "FR-1010", "--split", "--until", "4h"] + rules).status == 2)

            #expect(try await Self.cli(["run", "--once"] + rules + api).status == 0)
            #expect(await sandbox.stats().answers["1004"] == 1)

            let explain = try await Self.cli(["explain", "FR-1004"] + rules)
            #expect(explain.stdout.contains("→ ACKNOWLEDGE by rule manual (decided by ana)"))
            #expect(explain.stdout.contains("note: address confirmed by phone"))
            let report = try await Self.cli(["report", "--format", "csv", "--db", db])
            #expect(report.stdout.contains(",ana\r\n"))
            let status = try await Self.cli(["status", "--db", db])
            #expect(status.stdout.contains("holds        1 FRs waiting"))
            #expect(status.stdout.contains("  by age     1 under 1h, 0 1h–4h, 0 4h–24h, 0 over 24h"))
            #expect(status.stdout.contains("people       ana 2"))
            let statusJSON = try await Self.cli(["status", "--format", "json", "--db", db]).stdout
            #expect(statusJSON.contains(#""manual_decisions":[{"by":"ana","decisions":2}]"#))
            #expect(statusJSON.contains(#""holds_by_age":{"1h_to_4h":0,"4h_to_24h":0,"over_24h":0,"under_1h":1}"#))

            // Voided upstream: refused with the reason, whether read now or at the last poll.
            #expect(await HTTPProbe.post(url + "/_sandbox/fulfillment-requests/1010/void")?.status == 200)
            let voided = try await Self.cli(
                ["decide", "FR-1010", "--acknowledge", "--force", "--send"] + rules + api)
            #expect(voided.status == 1 && voided.stderr.contains("refused: FR-1010 is Voided upstream"))
            #expect(try await Self.cli(["run", "--once"] + rules + api).status == 0)
            let gone = try await Self.cli(["decide", "FR-1010", "--acknowledge", "--force"] + rules)
            #expect(gone.status == 1 && gone.stderr.contains("not in Flxpoint's open list at the last poll"))
            #expect(try await Self.cli(["holds"] + rules).stdout == "no open holds\n")
            let answers = await sandbox.stats().answers
            #expect(answers["1003"] == 1 && answers["1004"] == 1 && answers["1010"] == nil)
            #expect(answers.values.allSatisfy { $0 == 1 })
        }
    }

    @Test("the stock guard: an acknowledge beyond free stock needs --force and says what it backorders")
    func force() async throws {
        try await Self.withSample("holds-force") { setup in
            let (db, rules, url, api, sandbox) = (setup.db, setup.rules, setup.url, setup.api, setup.sandbox)
            #expect(try await Self.cli(["run", "--once"] + rules + api).status == 0)
            let empty = setup.directory.appendingPathComponent("empty.csv").path
            // A recount that finds SKU-BLUE gone and the rest as before.
            try "sku,on_hand,location\nSKU-RED,10,dallas\nSKU-BLUE,0,dallas\nSKU-GREEN,2,reno\nFRT-100,4,reno\n".write(
                toFile: empty, atomically: true, encoding: .utf8)
            #expect(try await Self.cli(["stock", "import", empty, "--db", db]).status == 0)
            let refused = try await Self.cli(["decide", "FR-1010", "--acknowledge"] + rules)
            #expect(refused.status == 3)
            #expect(
                refused.stderr.contains(
                    "would backorder 1 × SKU-BLUE (0 free); force it to acknowledge anyway (--force"))
            let forced = try await Self.cli(["decide", "FR-1010", "--acknowledge", "--force", "--by", "bo"] + rules)
            #expect(forced.status == 0 && forced.stdout.contains("backordered: 1 × SKU-BLUE not in stock"))
            let kept = try await Self.cli(
                ["decide", "FR-1004", "--keep-holding", "--until", "2h", "--by", "bo", "--note", "customer called"]
                    + rules)
            #expect(kept.status == 0 && kept.stdout.contains("the rules take it again from"))
            let holds = try await Self.cli(["holds"] + rules).stdout
            #expect(holds.contains("manual (bo)") && holds.contains("until back to the rules"))

            // --send that cannot send: exit 1, the decision kept and its answer queued for `run`.
            let refuse = #"{"force_status": 401, "scope": "writes"}"#
            #expect(
                await HTTPProbe.post(url + "/_sandbox/faults", json: Data(refuse.utf8), method: "PUT")?.status == 200)
            let unsent = try await Self.cli(
                ["decide", "FR-1003", "--cancel", "other", "--send"] + rules + api)
            #expect(unsent.status == 1 && unsent.stdout.contains("answer queued: Flxpoint refused the token"))
            let pending = try await Self.cli(["answers", "list", "--state", "pending", "--db", db]).stdout
            #expect(pending.contains("FR-1003") && pending.contains("cancel"))
            #expect(holds.contains("customer called") && !holds.contains("FR-1010"))
            let answers = await sandbox.stats().answers
            #expect(answers["1010"] == nil && answers["1004"] == nil)
        }
    }

    @Test("while the agent runs: decide records and wakes it; the agent answers at once, exactly once")
    func withDaemon() async throws {
        try await Self.withSample("holds-daemon") { setup in
            let (rules, api, sandbox) = (setup.rules, setup.api, setup.sandbox)
            let agent = try AgentBinary.launch(["run", "--interval", "5m"] + rules + api, environment: Self.env)
            defer { agent.stopInBackground() }
            #expect(
                await RunningAgent.eventually {
                    (try? await Self.cli(["holds"] + rules).stdout.contains("FR-1004")) == true
                })
            let decided = try await Self.cli(
                ["decide", "FR-1004", "--acknowledge", "--by", "cy", "--send"] + rules + api)
            #expect(decided.status == 0, "\(decided.stderr)")
            // A long interval: the answer goes out in time only because `decide` woke the agent.
            #expect(decided.stdout.contains("answer queued: the running agent was woken and sends it now"))
            #expect(await RunningAgent.eventually(timeout: .seconds(10)) { await sandbox.stats().answers["1004"] == 1 })
            try await Task.sleep(for: .seconds(2))
            let stats = await sandbox.stats()
            #expect(stats.answers["1004"] == 1 && stats.duplicates == 0)
            #expect(!(try await Self.cli(["holds"] + rules).stdout.contains("FR-1004")))
            #expect(agent.isRunning)  // SIGUSR1 woke it; it did not end it
        }
    }
}
