import AgentStore
import AgentTesting
import Foundation
import FulfillmentCore
import SourceAgentCommands
import Testing

/// What a new user meets first: the README's quick start, `init`, clear errors, exit codes.
@Suite("The first ten minutes")
struct FirstTenMinutesTests {
    /// The README's quick-start block, exactly as written.
    static func quickStart() async throws -> String {
        let readme = try String(
            contentsOf: AgentBinary.repositoryRoot.appendingPathComponent("README.md"), encoding: .utf8)
        let marker = try #require(readme.range(of: "<!-- quick-start -->\n```sh\n"))
        let end = try #require(readme.range(of: "\n```", range: marker.upperBound..<readme.endIndex))
        return String(readme[marker.upperBound..<end.lowerBound])
    }

    @Test("the README's quick start runs line by line on a fresh copy and every command succeeds")
    func readmeQuickStart() async throws {
        let directory = try Scratch.directory("quick-start")
        defer { try? FileManager.default.removeItem(at: directory) }
        for item in ["rules.example.yaml", "examples"] {
            try FileManager.default.copyItem(
                at: AgentBinary.repositoryRoot.appendingPathComponent(item), to: directory.appendingPathComponent(item))
        }
        // The same lines, on a port no other test or service holds.
        let port = String(FreePort.loopback())
        let script = try await Self.quickStart().replacingOccurrences(of: "8089", with: port)
        #expect(script.contains("run --once") && script.contains("kill %1"))
        // If a line fails, the background sandbox is stopped all the same.
        let cleanup = "trap 'kill $(jobs -p) 2>/dev/null || true' EXIT\n"
        let output = try await AgentBinary.runScript(
            cleanup + script, environment: ["FLXPOINT_SOURCE_TOKEN": ""], in: directory)
        #expect(output.status == 0, "\(output.stdout.suffix(800))\n\(output.stderr.suffix(1500))")
        #expect(output.stdout.contains("rules.yaml: ok"))
        #expect(output.stdout.contains("17 passed, 0 failed"))
        #expect(output.stdout.contains("FR-1001"))
        #expect(output.stdout.contains("cycle 1: fetched 20, decided 20"))
        #expect(output.stdout.contains("last cycle   #1"))
        #expect(output.stdout.contains("FR-50001"))
        #expect(output.stdout.contains("SKUs in 1 requests"))
        #expect(!output.stderr.contains("Error"))
    }

    @Test(
        "a file the tool needs and cannot find is named, exit 2",
        arguments: [
            (["run", "--rules", "nope.yaml"], "error: rule file 'nope.yaml' does not exist"),
            (["run", "--config", "nope.yaml"], "error: config file 'nope.yaml' does not exist"),
            (["run", "--token-file", "nope"], "error: token file 'nope' does not exist"),
            (["rules", "check", "nope.yaml"], "error: rule file 'nope.yaml' does not exist"),
            (["rules", "test", "nope.yaml"], "error: test file 'nope.yaml' does not exist"),
            (
                ["dry-run", "--input", "nope.json", "--rules", "rules.yaml"],
                "error: FR file 'nope.json' does not exist"
            ),
            (
                ["dry-run", "--input", "frs.json", "--stock", "nope.csv", "--rules", "rules.yaml"],
                "error: stock file 'nope.csv' does not exist"
            ),
            (["stock", "import", "nope.csv"], "error: stock file 'nope.csv' does not exist"),
            (["tracking", "import", "nope.csv"], "error: tracking file 'nope.csv' does not exist"),
            (["explain", "FR-1", "--db", "nope.sqlite"], "error: database 'nope.sqlite' does not exist"),
            (["status", "--db", "nope.sqlite"], "error: database 'nope.sqlite' does not exist"),
            (["tracking", "import", "t.csv", "--db", "nope.sqlite"], "error: database 'nope.sqlite' does not exist"),
            (
                ["inventory", "push", "--rules", "rules.yaml", "--db", "nope.sqlite"],
                "error: database 'nope.sqlite' does not exist"
            ),
        ])
    func missingFiles(arguments: [String], message: String) async throws {
        let directory = try Scratch.directory("missing")
        defer { try? FileManager.default.removeItem(at: directory) }
        try FileManager.default.copyItem(
            at: AgentBinary.repositoryRoot.appendingPathComponent("rules.example.yaml"),
            to: directory.appendingPathComponent("rules.yaml"))
        try "[]".write(to: directory.appendingPathComponent("frs.json"), atomically: true, encoding: .utf8)
        try "fr,sku,quantity,tracking_number\n".write(
            to: directory.appendingPathComponent("t.csv"), atomically: true, encoding: .utf8)
        let output = try await AgentBinary.run(arguments, environment: ["FLXPOINT_SOURCE_TOKEN": "t"], in: directory)
        #expect(output.status == 2, "\(output.stderr)")
        #expect(output.stderr.split(separator: "\n").contains { $0.hasPrefix(message) }, "\(output.stderr)")
        #expect(!output.stderr.contains("NSCocoaErrorDomain"))
        // A command that reads never leaves an empty database behind.
        #expect(!FileManager.default.fileExists(atPath: directory.appendingPathComponent("nope.sqlite").path))
    }

    @Test(
        "bad usage exits 2, as the README says",
        arguments: [
            ["--bogus"], ["stock", "import"], ["dry-run", "--input", "x.json", "--format", "xml"],
            ["dry-run", "--input", "examples/frs-sample.json", "--rules", "rules.example.yaml", "--now", "tomorrow"],
            ["run", "--interval", "0s"], ["no-such-command"],
        ])
    func badUsage(arguments: [String]) async throws {
        let output = try await AgentBinary.run(arguments)
        #expect(output.status == 2, "\(output.stderr)")
        #expect(!output.stderr.isEmpty)
    }

    @Test("--version prints the version; --help exits 0; shell completions are generated")
    func version() async throws {
        let output = try await AgentBinary.run(["--version"])
        #expect(output.status == 0 && output.stdout == SourceAgentVersion.current + "\n")
        #expect(try await AgentBinary.run(["--help"]).status == 0)
        let completion = try await AgentBinary.run(["--generate-completion-script", "bash"])
        #expect(completion.status == 0 && completion.stdout.contains("tracking") && completion.stdout.contains("init"))
    }

    @Test("status --format json gives monitoring scripts the same facts as the screen")
    func statusJSON() async throws {
        let directory = try Scratch.directory("status-json")
        defer { try? FileManager.default.removeItem(at: directory) }
        let db = directory.appendingPathComponent("agent.sqlite").path
        #expect(try await AgentBinary.run(["stock", "import", "examples/stock-sample.csv", "--db", db]).status == 0)
        #expect(try await AgentBinary.run(["pause", "--db", db]).status == 0)
        let output = try await AgentBinary.run(["status", "--db", db, "--format", "json"])
        #expect(output.status == 0)
        let object = try #require(
            try JSONSerialization.jsonObject(with: Data(output.stdout.utf8)) as? [String: Any])
        #expect(object["version"] as? Int == 1)
        #expect(object["paused"] as? Bool == true)
        #expect(object["last_cycle"] == nil && object["stock_imported_at"] is String)
        #expect((object["answers"] as? [String: Int]) == ["sent": 0, "waiting": 0, "refused": 0, "withdrawn": 0])
        #expect((object["decisions"] as? [String: Int])?["acknowledge"] == 0)
        #expect((object["awaiting_shipment"] as? [String: Any])?["units"] as? Int == 0)
    }

    @Test("init writes the four files with the right modes, never overwrites, and its config runs the agent")
    func initCommand() async throws {
        let directory = try Scratch.directory("init")
        defer { try? FileManager.default.removeItem(at: directory) }
        let target = directory.appendingPathComponent("etc/source-agent")
        let output = try await AgentBinary.run(["init", target.path])
        #expect(output.status == 0, "\(output.stderr)")
        #expect(output.stdout.contains("1. Put your Flxpoint Source token in \(target.path)/token"))
        #expect(output.stdout.contains("source-agent rules check \(target.path)/rules.yaml"))
        #expect(output.stdout.contains("source-agent run --once --config \(target.path)/agent.yaml"))
        func mode(_ name: String) throws -> Int {
            try FileManager.default.attributesOfItem(atPath: target.appendingPathComponent(name).path)[
                .posixPermissions] as? Int ?? -1
        }
        #expect(try await mode("token") == 0o600)
        #expect(try mode("rules.yaml") == 0o644 && mode("agent.yaml") == 0o644)
        let unit = try String(contentsOf: target.appendingPathComponent("source-agent.service"), encoding: .utf8)
        #expect(unit.contains("ExecStart=/usr/local/bin/source-agent run --config \(target.path)/agent.yaml"))
        #expect(unit.contains("ExecReload=/bin/kill -HUP $MAINPID"))
        #expect(
            try await AgentBinary.run(["rules", "check", target.appendingPathComponent("rules.yaml").path]).status == 0)

        // A second init, or one over any existing file, writes nothing.
        try "keep me".write(to: target.appendingPathComponent("agent.yaml"), atomically: true, encoding: .utf8)
        try FileManager.default.removeItem(at: target.appendingPathComponent("rules.yaml"))
        let again = try await AgentBinary.run(["init", target.path])
        #expect(again.status == 2 && again.stderr.contains("agent.yaml' exists; init never overwrites a file"))
        #expect(!FileManager.default.fileExists(atPath: target.appendingPathComponent("rules.yaml").path))
        #expect(try String(contentsOf: target.appendingPathComponent("agent.yaml"), encoding: .utf8) == "keep me")

        // The generated config, with the token filled in, drives a real cycle against the sandbox.
        let fresh = directory.appendingPathComponent("fresh")
        let state = directory.appendingPathComponent("state")
        try FileManager.default.createDirectory(at: state, withIntermediateDirectories: true)
        #expect(try await AgentBinary.run(["init", fresh.path, "--state-dir", state.path]).status == 0)
        let freshUnit = try String(contentsOf: fresh.appendingPathComponent("source-agent.service"), encoding: .utf8)
        #expect(freshUnit.contains("ReadWritePaths=\(state.path)\n") && freshUnit.contains("UMask=0077\n"))
        let token = try FileHandle(forWritingTo: fresh.appendingPathComponent("token"))
        token.write(Data((Harness.token + "\n").utf8))
        try token.close()
        try await Harness.withSandbox(frs: Harness.frs(3)) { url, sandbox in
            let run = try await AgentBinary.run(
                ["run", "--once", "--config", fresh.appendingPathComponent("agent.yaml").path, "--api-url", url],
                in: directory)
            #expect(run.status == 0, "\(run.stderr)")
            #expect(run.stdout.hasPrefix("cycle 1: fetched 3, decided 3"))
            #expect(FileManager.default.fileExists(atPath: state.appendingPathComponent("source-agent.sqlite").path))
            #expect(await sandbox.stats().requests > 0)
        }
    }

    @Test("after init, the tracking inbox and inventory push are turned on by editing agent.yaml alone")
    func everySettingInTheFile() async throws {
        let directory = try Scratch.directory("init-keys")
        defer { try? FileManager.default.removeItem(at: directory) }
        let etc = directory.appendingPathComponent("etc")
        let state = directory.appendingPathComponent("state")
        let inbox = state.appendingPathComponent("inbox")
        try FileManager.default.createDirectory(at: inbox, withIntermediateDirectories: true)
        #expect(try await AgentBinary.run(["init", etc.path, "--state-dir", state.path]).status == 0)
        let unit = try String(contentsOf: etc.appendingPathComponent("source-agent.service"), encoding: .utf8)
        #expect(unit.contains("run --config \(etc.path)/agent.yaml\n"), "the unit passes no other flag")
        try Data((Harness.token + "\n").utf8).write(to: etc.appendingPathComponent("token"))
        let frs = Harness.frs(3)
        let skus = Set(frs.flatMap { $0.items.compactMap(\.sku) }).sorted()
        let stock = "sku,on_hand,location,cost\n" + skus.map { "\($0),1000,dallas,5\n" }.joined()
        try stock.write(to: directory.appendingPathComponent("stock.csv"), atomically: true, encoding: .utf8)
        let clock = AgentBinary.clock(at: Harness.now)
        try await Harness.withSandbox(frs: frs) { url, sandbox in
            let config = etc.appendingPathComponent("agent.yaml")
            var text = try String(contentsOf: config, encoding: .utf8)
            text = text.replacingOccurrences(of: "api_url: https://api.flxpoint.com", with: "api_url: \(url)")
            text += "tracking_inbox: ../state/inbox\ntracking_settle: 0s\ninventory_interval: 15m\nmax_rps: 0\n"
            text = text.replacingOccurrences(of: "max_rps: 2\n", with: "")
            try text.write(to: config, atomically: true, encoding: .utf8)
            let shown = try await AgentBinary.run(["config", "show", "--config", config.path], environment: clock)
            #expect(shown.status == 0, "\(shown.stderr)")
            #expect(shown.stdout.contains("tracking_inbox: \(etc.path)/../state/inbox"), "\(shown.stdout)")
            #expect(shown.stdout.contains("inventory_interval: 15m") && !shown.stdout.contains(Harness.token))
            let imported = try await AgentBinary.run(
                [
                    "stock", "import", directory.appendingPathComponent("stock.csv").path, "--db",
                    state.appendingPathComponent("source-agent.sqlite").path,
                ], environment: clock)
            #expect(imported.status == 0, "\(imported.stderr)")
            let tracking =
                "fr,sku,quantity,tracking_number,carrier,method,shipped_at\n"
                + "\(frs[0].number!),\(frs[0].items[0].sku!),\(frs[0].items[0].quantity),1Z999,UPS,Ground,"
                + "\(Timestamp.utcString(Harness.now.addingTimeInterval(3600)))\n"
            try tracking.write(to: inbox.appendingPathComponent("today.csv"), atomically: true, encoding: .utf8)
            try FileManager.default.setAttributes(
                [.modificationDate: Date().addingTimeInterval(-60)],
                ofItemAtPath: inbox.appendingPathComponent("today.csv").path)

            let run = try await AgentBinary.run(
                ["run", "--once", "--config", config.path], environment: clock, in: directory)
            #expect(run.status == 0, "\(run.stderr)")
            #expect(run.stdout.contains("tracking inbox: 1 processed, 0 failed"), "\(run.stdout)")
            #expect(run.stdout.contains("inventory: ") && run.stdout.contains("SKUs pushed"))
            #expect(run.stderr.contains("\"level\":\"info\""), "log_format: json from the file")
            #expect(await sandbox.stats().shippedUnits[String(frs[0].id)] == frs[0].items[0].quantity)
            #expect(FileManager.default.fileExists(atPath: inbox.appendingPathComponent("processed/today.csv").path))
        }
    }
}
