import AgentStore
import AgentStoreSQLite
import AgentTesting
import FlxpointSandbox
import Foundation
import FulfillmentCore
import Testing

/// The commands an operator uses around the agent, run as the real binary.
@Suite("stock import, explain, status, pause, metrics and demo")
struct OperatorCommandTests {
    @Test("stock import replaces stock atomically and names bad lines")
    func stockImport() async throws {
        let directory = try Scratch.directory("ops")
        defer { try? FileManager.default.removeItem(at: directory) }
        let db = directory.appendingPathComponent("agent.sqlite").path
        let good = try await AgentBinary.run(["stock", "import", "examples/stock-sample.csv", "--db", db])
        #expect(good.status == 0 && good.stdout == "imported 5 rows: 5 SKUs at 2 locations\n")
        let bad = directory.appendingPathComponent("bad.csv").path
        try "sku,on_hand,location\nSKU-RED,1,dallas\nSKU-BLUE,-3,dallas\n".write(
            toFile: bad, atomically: true, encoding: .utf8)
        let refused = try await AgentBinary.run(["stock", "import", bad, "--db", db])
        #expect(refused.status == 2)
        #expect(
            refused.stderr.contains("\(bad):3: on_hand for SKU-BLUE must be a whole number of at least 0, got '-3'"))
        let levels = try await AgentDatabase.open(path: db).stockLevels()
        #expect(levels.count == 5 && levels.first { $0.sku == "SKU-RED" }?.onHand == 10)  // nothing from the bad file
    }

    @Test("explain shows the stored trace; status and pause tell the operator where things stand")
    func explainStatusPause() async throws {
        let directory = try Scratch.directory("ops")
        defer { try? FileManager.default.removeItem(at: directory) }
        let db = directory.appendingPathComponent("agent.sqlite").path
        let frs = try FRListDecoder.decode(
            try Data(contentsOf: AgentBinary.repositoryRoot.appendingPathComponent("examples/frs-sample.json"))
        )
        .map { try $0.get() }
        #expect(try await AgentBinary.run(["stock", "import", "examples/stock-sample.csv", "--db", db]).status == 0)
        try await Harness.withSandbox(frs: frs) { url, sandbox in
            // The agent's clock at the sample FRs' morning: their ship-by dates are fixed.
            let env = ["FLXPOINT_SOURCE_TOKEN": Harness.token].merging(AgentBinary.clock(at: AgentBinary.sampleNow)) {
                $1
            }
            let run = try await AgentBinary.run(
                ["run", "--once", "--db", db, "--rules", "rules.example.yaml", "--api-url", url, "--max-rps", "0"],
                environment: env)
            #expect(run.status == 0, "\(run.stderr)")
            #expect(run.stdout.hasPrefix("cycle 1: fetched 11, decided 11"))
            let explain = try await AgentBinary.run(["explain", "FR-1002", "--db", db, "--rules", "rules.example.yaml"])
            #expect(explain.status == 0)
            #expect(explain.stdout.contains("answer adjust: done"))
            #expect(explain.stdout.contains("    ✔ freight-to-po-box\n        address.po_box → true"))
            #expect(explain.stdout.contains("address Denver CO 80201 US · PO box, domestic · valid"))
            let missing = try await AgentBinary.run(["explain", "FR-0000", "--db", db])
            #expect(missing.status == 1 && missing.stderr.contains("no decision stored for FR FR-0000"))

            #expect(try await AgentBinary.run(["pause", "--db", db]).status == 0)
            let status = try await AgentBinary.run(["status", "--db", db])
            #expect(status.status == 0)
            #expect(status.stdout.contains("pause        PAUSED"))
            let sent = await sandbox.stats().answers.count
            #expect(status.stdout.contains("answers      \(sent) sent, 0 waiting, 0 failed, 0 withdrawn"))
            #expect(status.stdout.contains("holds        "))
            #expect(try await AgentBinary.run(["resume", "--db", db]).status == 0)
            #expect(try await AgentBinary.run(["status", "--db", db]).stdout.contains("pause        answering"))
        }
    }

    @Test("dry-run --live reads open FRs from Flxpoint and answers nothing")
    func dryRunLive() async throws {
        let frs = try FRListDecoder.decode(
            try Data(contentsOf: AgentBinary.repositoryRoot.appendingPathComponent("examples/frs-sample.json"))
        ).map { try $0.get() }
        try await Harness.withSandbox(frs: frs) { url, sandbox in
            let output = try await AgentBinary.run(
                [
                    "dry-run", "--live", "--api-url", url, "--max-rps", "0", "--stock", "examples/stock-sample.csv",
                    "--now", "2026-11-27T09:00:00-06:00", "--rules", "rules.example.yaml", "--format", "ndjson",
                ], environment: ["FLXPOINT_SOURCE_TOKEN": Harness.token])
            #expect(output.status == 0, "\(output.stderr)")
            #expect(output.stdout.split(separator: "\n").count == 11)
            let stats = await sandbox.stats()
            #expect(stats.answers.isEmpty && stats.requests == 2)  // one page of FRs, then the empty page that ends it

            // The database is read only when named, and then only for its stock: nothing is written to it.
            let directory = try Scratch.directory("dry-live")
            defer { try? FileManager.default.removeItem(at: directory) }
            let db = directory.appendingPathComponent("agent.sqlite").path
            #expect(
                try await AgentBinary.run(["stock", "import", "examples/stock-sample.csv", "--db", db]).status == 0)
            let before = try await AgentDatabase.open(path: db).stockLevels()
            let rules = AgentBinary.repositoryRoot.appendingPathComponent("rules.example.yaml").path
            let live = [
                "dry-run", "--live", "--api-url", url, "--now", "2026-11-27T09:00:00-06:00", "--rules", rules,
                "--format", "ndjson",
            ]
            let environment = ["FLXPOINT_SOURCE_TOKEN": Harness.token]
            let withDB = try await AgentBinary.run(live + ["--db", db], environment: environment)
            #expect(withDB.status == 0 && withDB.stderr.contains("using the stock and reservations in \(db)"))
            #expect(withDB.stdout == output.stdout)  // the same stock as the CSV, so the same decisions
            let without = try await AgentBinary.run(live, environment: environment, in: directory)
            #expect(without.stderr.contains("neither --stock nor --db given"), "\(without.stderr)")
            let after = try AgentDatabase.open(path: db)
            #expect(try await after.stockLevels() == before)
            #expect(try await after.decidedFRIds().isEmpty)
            #expect(try await after.status().lastCycle == nil)
            #expect(await sandbox.stats().answers.isEmpty)
        }
    }

    @Test("/healthz and /metrics report the agent's cycles")
    func metrics() async throws {
        let directory = try Scratch.directory("ops")
        defer { try? FileManager.default.removeItem(at: directory) }
        let db = directory.appendingPathComponent("agent.sqlite").path
        let port = FreePort.loopback()
        try await Harness.withSandbox(frs: AgentFixture.simpleFRs([("A", 1)])) { url, _ in
            let agent = try AgentBinary.launch(
                [
                    "run", "--db", db, "--rules", "rules.example.yaml", "--api-url", url, "--max-rps", "0",
                    "--interval", "1s",
                    "--metrics-port", String(port),
                ], environment: ["FLXPOINT_SOURCE_TOKEN": Harness.token])
            defer { agent.stopInBackground() }
            func get(_ path: String) async -> (status: Int, body: String)? {
                await HTTPProbe.get("http://127.0.0.1:\(port)\(path)")
            }
            #expect(await RunningAgent.eventually { await get("/healthz")?.0 == 200 })
            let metrics = await get("/metrics")?.1 ?? ""
            #expect(metrics.contains("source_agent_cycles_total"))
            #expect(metrics.contains("source_agent_decisions_total"))
            #expect(metrics.contains("source_agent_api_calls_total"))
        }
    }

    @Test("output into a pipe whose reader has gone ends quietly by SIGPIPE, as 'head' expects: no trap, no backtrace")
    func closedPipe() async throws {
        // The reader closes its end at once, before the agent writes a byte; the demo writes once
        // SwiftNIO (which ignores SIGPIPE, so a write gets EPIPE instead) has started its sandbox.
        let directory = try Scratch.directory("closed-pipe")
        defer { try? FileManager.default.removeItem(at: directory) }
        let output = try await AgentBinary.runScript(
            """
            source-agent demo --frs 5 --dir demo | (exec 0<&-; exit 0)
            echo "status ${PIPESTATUS[0]}"
            """, in: directory)
        #expect(output.stdout == "status 141\n", "\(output.stderr)")
        #expect(!output.stderr.contains("Fatal error") && !output.stderr.contains("crashed"), "\(output.stderr)")
    }

    @Test("demo runs the whole loop offline, from any folder, and explains it")
    func demo() async throws {
        let elsewhere = try Scratch.directory("demo-cwd")  // no rules.example.yaml here
        defer { try? FileManager.default.removeItem(at: elsewhere) }
        let directory = elsewhere.appendingPathComponent("demo")
        let output = try await AgentBinary.run(["demo", "--dir", directory.path], in: elsewhere)
        #expect(output.status == 0, "\(output.stderr)")
        #expect(output.stdout.contains("cycle 1: fetched 53 FRs, decided"))
        #expect(output.stdout.contains("Imported kits: GIFT-SET (1 × SKU-1023, 2 × SKU-1009)"))
        #expect(output.stdout.contains("0 twice, 0 contradicted"))
        #expect(output.stdout.contains("Three decisions, explained:"))
        #expect(output.stdout.contains("The decision log is \(directory.path)/demo.sqlite"))
        let database = try AgentDatabase.open(path: directory.appendingPathComponent("demo.sqlite").path)
        #expect(try await database.integrityProblems() == [])
        // The loop goes on past the answers: every acknowledged FR ships, and stock reaches Flxpoint.
        let shipments = try await database.shipments()
        #expect(!shipments.isEmpty && shipments.allSatisfy { $0.state == .done })
        #expect(output.stdout.contains("\(shipments.count) shipments created"))
        #expect(output.stdout.contains("inventory push: 27 SKUs pushed in 1 request"))
        // The gift set's FRs were promised from its components and shipped as kits.
        let gifts = try await database.shipments().filter { $0.bodyJSON.contains("GIFT-SET") }
        #expect(gifts.count == 3 && gifts.allSatisfy { $0.state == .done })
        #expect(try await database.heldUnitsByFR().isEmpty)
        // Customer data stays private on disk: the folder and every file in it are the user's alone.
        func mode(_ url: URL) throws -> Int {
            try FileManager.default.attributesOfItem(atPath: url.path)[.posixPermissions] as? Int ?? -1
        }
        #expect(try mode(directory) == 0o700)
        for name in try FileManager.default.contentsOfDirectory(atPath: directory.path) {
            #expect(try mode(directory.appendingPathComponent(name)) & 0o077 == 0, "\(name)")
        }
        // A report written over an existing, world-readable file leaves it readable by its owner only.
        let report = directory.appendingPathComponent("report.html")
        FileManager.default.createFile(atPath: report.path, contents: Data(), attributes: [.posixPermissions: 0o644])
        let written = try await AgentBinary.run([
            "report", "--db", directory.appendingPathComponent("demo.sqlite").path, "--format", "html", "--output",
            report.path,
        ])
        #expect(written.status == 0, "\(written.stderr)")
        #expect(try mode(report) == 0o600)
        #expect(
            try String(contentsOf: directory.appendingPathComponent("rules.example.yaml"), encoding: .utf8)
                == String(
                    contentsOf: AgentBinary.repositoryRoot.appendingPathComponent("rules.example.yaml"), encoding: .utf8
                ))
    }
}
