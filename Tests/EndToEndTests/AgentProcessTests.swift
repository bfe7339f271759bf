import AgentStore
import AgentStoreSQLite
import AgentTesting
import FlxpointSandbox
import Foundation
import FulfillmentCore
import Testing

/// The real binary under a service manager's signals, against a sandbox in this process.
@Suite("source-agent run as a process")
struct AgentProcessTests {
    static let holdEverything = """
        version: 1
        warehouse: { timezone: America/Chicago }
        rules:
          - name: wait
            when: true
            then: hold
        """
    static let acknowledgeEverything = """
        version: 1
        warehouse: { timezone: America/Chicago }
        rules:
          - name: go
            when: true
            then: acknowledge
        """

    /// Cancels every FR; with 6 FRs per cycle the guard holds them all.
    static let cancelEverythingGuarded = """
        version: 1
        warehouse: { timezone: America/Chicago }
        guards: { max_cancel_share: 0.5, min_cycle_size: 5 }
        rules:
          - name: no
            when: true
            then: cancel
            reason: other
        """

    struct Workspace {
        let directory: URL
        var db: String { directory.appendingPathComponent("agent.sqlite").path }
        var rules: String { directory.appendingPathComponent("rules.yaml").path }

        init() throws {
            directory = try Scratch.directory("agent-proc")
        }

        func write(rules text: String) async throws { try text.write(toFile: rules, atomically: true, encoding: .utf8) }

        func arguments(_ url: String, _ extra: [String] = []) -> [String] {
            ["run", "--db", db, "--rules", rules, "--api-url", url, "--max-rps", "0", "--interval", "0.3s"] + extra
        }

        func decisions() async throws -> [String] {
            guard FileManager.default.fileExists(atPath: db) else { return [] }
            let database = try AgentDatabase.open(path: db)
            var out: [String] = []
            for id in try await database.decidedFRIds() {
                out += try await database.decisions(forFR: String(id)).map(\.decision.rawValue)
            }
            return out
        }
    }

    let env = ["FLXPOINT_SOURCE_TOKEN": Harness.token]

    @Test("SIGHUP reloads good rules and keeps the old ones when the new file is broken")
    func sighup() async throws {
        let workspace = try Workspace()
        defer { try? FileManager.default.removeItem(at: workspace.directory) }
        try await workspace.write(rules: Self.holdEverything)
        let frs = AgentFixture.simpleFRs([("A", 1), ("A", 1), ("A", 1)])
        try await Harness.withSandbox(frs: frs) { url, sandbox in
            let agent = try AgentBinary.launch(workspace.arguments(url), environment: env)
            #expect(try await RunningAgent.eventually { try await workspace.decisions().count == 3 })
            try await workspace.write(
                rules: "version: 1\nrules:\n  - name: broken\n    when: stock.covers_al\n    then: acknowledge\n")
            agent.signal(SIGHUP)
            #expect(await RunningAgent.eventually { agent.stderr.contains("keeping the previous rules") })
            #expect(agent.stderr.contains("unknown fact 'stock.covers_al'"))
            try await Task.sleep(for: .seconds(1))
            #expect(await sandbox.stats().answers.isEmpty)
            try await workspace.write(rules: Self.acknowledgeEverything)
            agent.signal(SIGHUP)
            #expect(await RunningAgent.eventually { await sandbox.stats().answers.count == 3 })
            agent.signal(SIGTERM)
            #expect(await agent.waitForExit(timeout: .seconds(30)))
            let output = await agent.wait()
            #expect(output.status == 0)
            #expect(output.stderr.contains("rules reloaded"))
            #expect(output.stderr.contains("stock is stale"))  // no stock was ever imported
            #expect(!output.stderr.contains(Harness.token))
            #expect(await sandbox.stats().answers.values.allSatisfy { $0 == 1 })
        }
    }

    @Test("SIGTERM mid-cycle finishes the answer in flight, exits 0 quickly, and loses nothing")
    func sigterm() async throws {
        let workspace = try Workspace()
        defer { try? FileManager.default.removeItem(at: workspace.directory) }
        try await workspace.write(rules: Self.acknowledgeEverything)
        let frs = AgentFixture.simpleFRs((0..<40).map { _ in ("A", 1) })
        try await Harness.withSandbox(frs: frs) { config in
            config.latency = .milliseconds(100)
        } _: { url, sandbox in
            let agent = try AgentBinary.launch(workspace.arguments(url), environment: env)
            #expect(try await RunningAgent.eventually { await sandbox.stats().answers.count >= 3 })
            // Quickly means without the rest of the backlog (37 answers at 2 a second): what
            // it sent before exiting is counted below, not timed, so a loaded machine cannot
            // bend the verdict (30 s only catches a hang).
            agent.signal(SIGTERM)
            #expect(await agent.waitForExit(timeout: .seconds(30)))
            #expect(await agent.wait().status == 0)
            let database = try AgentDatabase.open(path: workspace.db)
            let outbox = try await database.outbox()
            #expect(outbox.count == 40)
            let answeredUpstream = await sandbox.stats().answers.count
            #expect(outbox.filter { $0.state == .done }.count == answeredUpstream)
            #expect(answeredUpstream < 40)  // it really stopped mid-way
            let again = try await AgentBinary.run(workspace.arguments(url, ["--once"]), environment: env)
            #expect(again.status == 0, "\(again.stderr)")
            let stats = await sandbox.stats()
            #expect(stats.answers.count == 40 && stats.answers.values.allSatisfy { $0 == 1 } && stats.duplicates == 0)
            #expect(try await database.integrityProblems() == [])
        }
    }

    @Test("a guard trip and the open holds show in /metrics")
    func guardMetric() async throws {
        let workspace = try Workspace()
        defer { try? FileManager.default.removeItem(at: workspace.directory) }
        try await workspace.write(rules: Self.cancelEverythingGuarded)
        let port = FreePort.loopback()
        try await Harness.withSandbox(frs: AgentFixture.simpleFRs((0..<6).map { _ in ("A", 1) })) { url, _ in
            let agent = try AgentBinary.launch(
                workspace.arguments(url, ["--metrics-port", String(port)]), environment: env)
            defer { agent.stopInBackground() }
            #expect(
                await RunningAgent.eventually {
                    await HTTPProbe.get("http://127.0.0.1:\(port)/metrics")?.body
                        .contains("source_agent_guard_trips_total") == true
                })
            // The guard's holds are open holds: their count and the oldest one's age are exported too,
            // once the cycle has finished.
            #expect(
                await RunningAgent.eventually {
                    await HTTPProbe.get("http://127.0.0.1:\(port)/metrics")?.body.contains(
                        #"source_agent_holds_open{source="default"} 6"#)
                        == true
                })
            let metrics = await HTTPProbe.get("http://127.0.0.1:\(port)/metrics")?.body ?? ""
            #expect(metrics.contains("source_agent_oldest_hold_age_seconds"))
            #expect(metrics.contains(#"source_agent_holds_past_ship_by{source="default"} 0"#))
        }
    }

    @Test("run --once exits 3 when the guard holds the cycle's cancels")
    func guardExitCode() async throws {
        let workspace = try Workspace()
        defer { try? FileManager.default.removeItem(at: workspace.directory) }
        try await workspace.write(rules: Self.cancelEverythingGuarded)
        try await Harness.withSandbox(frs: AgentFixture.simpleFRs((0..<6).map { _ in ("A", 1) })) { url, sandbox in
            let output = try await AgentBinary.run(workspace.arguments(url, ["--once"]), environment: env)
            #expect(output.status == 3)
            #expect(output.stderr.contains("guard tripped"))
            #expect(await sandbox.stats().answers.isEmpty)
        }
    }

    @Test("the token must come from the environment or a private file, and is never printed")
    func tokenHandling() async throws {
        let workspace = try Workspace()
        defer { try? FileManager.default.removeItem(at: workspace.directory) }
        try await workspace.write(rules: Self.acknowledgeEverything)
        try await Harness.withSandbox(frs: AgentFixture.simpleFRs([("A", 1)])) { url, sandbox in
            let none = try await AgentBinary.run(workspace.arguments(url, ["--once"]))
            #expect(none.status == 2 && none.stderr.contains("no Flxpoint token"))
            let tokenFile = workspace.directory.appendingPathComponent("token").path
            try Harness.token.write(toFile: tokenFile, atomically: true, encoding: .utf8)
            chmod(tokenFile, 0o644)
            let open = try await AgentBinary.run(workspace.arguments(url, ["--once", "--token-file", tokenFile]))
            #expect(open.status == 2 && open.stderr.contains("is readable by others; run: chmod 600"))
            chmod(tokenFile, 0o600)
            let link = workspace.directory.appendingPathComponent("token-link").path
            try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: tokenFile)
            let linked = try await AgentBinary.run(workspace.arguments(url, ["--once", "--token-file", link]))
            #expect(linked.status == 2 && linked.stderr.contains("is a symbolic link"), "\(linked.stderr)")
            let good = try await AgentBinary.run(
                workspace.arguments(url, ["--once", "--token-file", tokenFile, "--log-format", "json"]))
            #expect(good.status == 0, "\(good.stderr)")
            #expect(good.stderr.contains(#""config.token":"<redacted>""#))
            #expect(!good.stderr.contains(Harness.token) && !good.stdout.contains(Harness.token))
            #expect(await sandbox.stats().answers.count == 1)
            try await workspace.write(rules: "version: 1\nrules:\n  - name: r\n    when: fr.unit > 1\n    then: hold\n")
            let broken = try await AgentBinary.run(workspace.arguments(url, ["--once"]), environment: env)
            #expect(broken.status == 2)
            #expect(
                broken.stderr.contains(
                    "\(workspace.rules):4:11: error: unknown fact 'fr.unit'; did you mean 'fr.units'?"))
            try await workspace.write(rules: Self.acknowledgeEverything)
            let wrong = try await AgentBinary.run(
                workspace.arguments(url, ["--once"]), environment: ["FLXPOINT_SOURCE_TOKEN": "not-the-token-xyz"])
            #expect(wrong.status == 1 && wrong.stderr.contains("401 unauthorized"))
            #expect(!wrong.stderr.contains("not-the-token-xyz"))
            let plain = try await AgentBinary.run(
                [
                    "run", "--once", "--db", workspace.db, "--rules", workspace.rules, "--api-url",
                    "http://api.example.com",
                ],
                environment: env)
            #expect(plain.status == 2 && plain.stderr.contains("is plain http"), "\(plain.stderr)")
        }
    }
}

@Suite("One agent per database")
struct RunLockTests {
    let env = ["FLXPOINT_SOURCE_TOKEN": Harness.token]

    @Test(
        "a second run exits 2 naming the first; one-shot commands work beside it and share its 2 requests/s")
    func secondRunRefused() async throws {
        let workspace = try AgentProcessTests.Workspace()
        defer { try? FileManager.default.removeItem(at: workspace.directory) }
        try await workspace.write(rules: AgentProcessTests.acknowledgeEverything)
        let stock = workspace.directory.appendingPathComponent("stock.csv").path
        try "sku,on_hand\nA,50\nB,7\n".write(toFile: stock, atomically: true, encoding: .utf8)
        #expect(try await AgentBinary.run(["stock", "import", stock, "--db", workspace.db]).status == 0)
        let frs = AgentFixture.simpleFRs((0..<10).map { _ in ("A", 1) })
        try await Harness.withSandbox(frs: frs) { config in
            config.rateLimit = 2  // Flxpoint's limit, enforced and counted per token
        } _: { url, sandbox in
            let arguments = [
                "run", "--db", workspace.db, "--rules", workspace.rules, "--api-url", url, "--interval", "1s",
            ]
            let daemon = try AgentBinary.launch(arguments, environment: env)
            defer { daemon.stopInBackground() }
            #expect(await RunningAgent.eventually { await sandbox.stats().answers.count >= 1 })
            let second = try await AgentBinary.run(arguments + ["--once"], environment: env)
            #expect(second.status == 2)
            #expect(second.stderr.contains("(process \(daemon.pid)) holds this database"), "\(second.stderr)")
            // While the daemon answers at 2 requests/s, a push shares the same budget.
            let push = try await AgentBinary.run(
                ["inventory", "push", "--all", "--db", workspace.db, "--rules", workspace.rules, "--api-url", url],
                environment: env)
            #expect(push.status == 0, "\(push.stderr)")
            #expect(try await AgentBinary.run(["stock", "import", stock, "--db", workspace.db]).status == 0)
            #expect(try await AgentBinary.run(["pause", "--db", workspace.db]).status == 0)
            #expect(try await AgentBinary.run(["resume", "--db", workspace.db]).status == 0)
            #expect(await RunningAgent.eventually(timeout: .seconds(30)) { await sandbox.stats().answers.count == 10 })
            let stats = await sandbox.stats()
            #expect(stats.inventoryUpdates >= 1)
            // Shared, the budget holds over the run: each process on a budget of its own would
            // sustain about 4 a second. (Single arrivals a loaded machine can bunch.)
            #expect(stats.sustainedRequestsPerSecond <= 2.5, "\(stats)")
            #expect(stats.duplicates == 0)
        }
    }

    @Test("a port another program holds: the agent stops at once, naming the port and the setting to change")
    func portInUse() async throws {
        let workspace = try AgentProcessTests.Workspace()
        defer { try? FileManager.default.removeItem(at: workspace.directory) }
        try await workspace.write(rules: AgentProcessTests.acknowledgeEverything)
        try await Harness.withSandbox(frs: []) { url, _ in
            // The sandbox's own port is the one taken.
            let taken = try #require(URL(string: url)?.port)
            for (flag, words) in [
                ("--metrics-port", "the metrics server cannot listen on 127.0.0.1:\(taken)"),
                ("--console-port", "the console cannot listen on 127.0.0.1:\(taken)"),
            ] {
                let run = try await AgentBinary.run(workspace.arguments(url, [flag, String(taken)]), environment: env)
                #expect(run.status == 1)
                #expect(
                    run.stderr.contains(words) && run.stderr.contains("another program uses that port"), "\(run.stderr)"
                )
                #expect(run.stderr.contains("choose another port with \(flag)"))
                #expect(!run.stderr.contains("errno") && !run.stderr.contains("cycle failed"), "\(run.stderr)")
            }
        }
    }

    @Test("a refused token: /healthz turns 503 and answers wait; they go once the token works")
    func refusedTokenHealth() async throws {
        let workspace = try AgentProcessTests.Workspace()
        defer { try? FileManager.default.removeItem(at: workspace.directory) }
        try await workspace.write(rules: AgentProcessTests.acknowledgeEverything)
        let port = FreePort.loopback()
        try await Harness.withSandbox(frs: AgentFixture.simpleFRs([("A", 1), ("A", 1)])) { url, sandbox in
            let refuse = #"{"force_status": 403}"#
            _ = await HTTPProbe.post(url + "/_sandbox/faults", json: Data(refuse.utf8), method: "PUT")
            let agent = try AgentBinary.launch(
                workspace.arguments(url, ["--metrics-port", String(port)]), environment: env)
            defer { agent.stopInBackground() }
            #expect(
                await RunningAgent.eventually { await HTTPProbe.get("http://127.0.0.1:\(port)/healthz")?.status == 503 }
            )
            // /healthz is 503 from the start (no cycle yet): the refusal is logged when the first cycle ends.
            #expect(await RunningAgent.eventually { agent.stderr.contains("Flxpoint refused the token") })
            _ = await HTTPProbe.post(
                url + "/_sandbox/faults", json: Data(#"{"force_status": null}"#.utf8), method: "PUT")
            #expect(await RunningAgent.eventually { await sandbox.stats().answers.count == 2 })
            #expect(
                await RunningAgent.eventually { await HTTPProbe.get("http://127.0.0.1:\(port)/healthz")?.status == 200 }
            )
        }
    }
}

@Suite("Hostile config files")
struct HostileConfigTests {
    @Test(
        "a config file with anchors or aliases (a billion laughs) is refused at once, naming the line")
    func aliases() async throws {
        let directory = try Scratch.directory("config")
        defer { try? FileManager.default.removeItem(at: directory) }
        var laughs = "version: 1\na0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n"
        for i in 1...9 {
            laughs += "a\(i): &a\(i) [" + (0..<9).map { _ in "*a\(i - 1)" }.joined(separator: ", ") + "]\n"
        }
        let bomb = directory.appendingPathComponent("bomb.yaml").path
        try laughs.write(toFile: bomb, atomically: true, encoding: .utf8)
        let started = ContinuousClock.now
        let refused = try await AgentBinary.run(
            ["run", "--once", "--config", bomb], environment: ["FLXPOINT_SOURCE_TOKEN": "t"])
        #expect(
            refused.status == 2
                && refused.stderr.contains("bomb.yaml:2:5: error: YAML anchors (&name) are not supported"))
        #expect(ContinuousClock.now - started < .seconds(20))  // expanded: minutes
        let anchored = directory.appendingPathComponent("anchored.yaml").path
        try "version: 1\ndb: &d agent.sqlite\nrules: *d\n".write(toFile: anchored, atomically: true, encoding: .utf8)
        let alias = try await AgentBinary.run(
            ["run", "--once", "--config", anchored], environment: ["FLXPOINT_SOURCE_TOKEN": "t"])
        #expect(alias.status == 2 && alias.stderr.contains("anchored.yaml:2:5: error: YAML anchors"), "\(alias.stderr)")
    }
}

@Suite("Typed config files")
struct TypedConfigTests {
    @Test(
        "a bad value is an error naming its line, never a silent default",
        arguments: [
            ("max_rps: fast", "max_rps must be 0 (no limit) or from 0.01 to 1000"),
            ("interval: soon", "interval must be a duration from 0.1s to 1d"),
            ("stock_max_age: 0s", "stock_max_age must be a duration from 1s to 3650d"),
            ("metrics_port: 70000", "metrics_port must be a port from 1 to 65535"),
            ("api_url: http://api.example.com", "is plain http"),
        ])
    func badValues(line: String, message: String) async throws {
        let directory = try Scratch.directory("typed-config")
        defer { try? FileManager.default.removeItem(at: directory) }
        let config = directory.appendingPathComponent("agent.yaml").path
        try "version: 1\n\(line)\n".write(toFile: config, atomically: true, encoding: .utf8)
        let output = try await AgentBinary.run(
            ["run", "--once", "--config", config], environment: ["FLXPOINT_SOURCE_TOKEN": "t"])
        #expect(output.status == 2 && output.stderr.contains("agent.yaml:2:"), "\(output.stderr)")
        #expect(output.stderr.contains(message), "\(output.stderr)")
    }

    @Test(
        "paths in the file are relative to it; the environment beats the file, a flag beats both (even with the default's name)"
    )
    func pathsAndPrecedence() async throws {
        let directory = try Scratch.directory("typed-config")
        defer { try? FileManager.default.removeItem(at: directory) }
        try AgentProcessTests.acknowledgeEverything.write(
            to: directory.appendingPathComponent("rules.yaml"), atomically: true, encoding: .utf8)
        let token = directory.appendingPathComponent("token").path
        try Harness.token.write(toFile: token, atomically: true, encoding: .utf8)
        chmod(token, 0o600)
        let elsewhere = try Scratch.directory("typed-config-cwd")
        defer { try? FileManager.default.removeItem(at: elsewhere) }
        try await Harness.withSandbox(frs: AgentFixture.simpleFRs([("A", 1)])) { url, sandbox in
            let config = directory.appendingPathComponent("agent.yaml").path
            try "version: 1\napi_url: \(url)\ntoken_file: token\ndb: from-file.sqlite\nrules: rules.yaml\nmax_rps: 50\n"
                .write(toFile: config, atomically: true, encoding: .utf8)
            let fromFile = try await AgentBinary.run(["run", "--once", "--config", config], in: elsewhere)
            #expect(fromFile.status == 0, "\(fromFile.stderr)")
            #expect(FileManager.default.fileExists(atPath: directory.appendingPathComponent("from-file.sqlite").path))
            let explicit = try await AgentBinary.run(
                ["run", "--once", "--config", config, "--db", "source-agent.sqlite"], in: elsewhere)
            #expect(explicit.status == 0, "\(explicit.stderr)")
            #expect(
                FileManager.default.fileExists(atPath: elsewhere.appendingPathComponent("source-agent.sqlite").path))
            let environment = try await AgentBinary.run(
                ["run", "--once", "--config", config], environment: ["SOURCE_AGENT_DB": "from-env.sqlite"],
                in: elsewhere)
            #expect(environment.status == 0, "\(environment.stderr)")
            #expect(FileManager.default.fileExists(atPath: elsewhere.appendingPathComponent("from-env.sqlite").path))
            let badEnvironment = try await AgentBinary.run(
                ["run", "--once", "--config", config], environment: ["SOURCE_AGENT_INTERVAL": "inf"], in: elsewhere)
            #expect(badEnvironment.status == 2 && badEnvironment.stderr.contains("(from SOURCE_AGENT_INTERVAL)"))
            #expect(await sandbox.stats().answers.count == 1)
        }
    }
}

@Suite("The token stays secret")
struct SecretTokenTests {
    @Test("debug logs in both formats, metrics, status, reports, answers and the database files never hold the token")
    func tokenNowhere() async throws {
        let workspace = try AgentProcessTests.Workspace()
        defer { try? FileManager.default.removeItem(at: workspace.directory) }
        try await workspace.write(rules: AgentProcessTests.acknowledgeEverything)
        let tokenFile = workspace.directory.appendingPathComponent("token").path
        try Harness.token.write(toFile: tokenFile, atomically: true, encoding: .utf8)
        chmod(tokenFile, 0o600)
        var outputs = try await Harness.withSandbox(frs: AgentFixture.simpleFRs((0..<8).map { _ in ("A", 1) })) {
            config in
            config.failRate = 0.2  // retries, reconciliations and error paths all log
            config.dropRate = 0.1
        } _: { url, sandbox in
            var outputs: [String] = []
            for format in ["text", "json"] {
                let port = FreePort.loopback()
                let agent = try AgentBinary.launch(
                    workspace.arguments(
                        url, ["--token-file", tokenFile, "--log-format", format, "--metrics-port", String(port)]),
                    environment: ["LOG_LEVEL": "trace"])
                _ = await RunningAgent.eventually { await sandbox.stats().answers.count == 8 }
                outputs.append(await HTTPProbe.get("http://127.0.0.1:\(port)/metrics")?.body ?? "")
                outputs.append(await HTTPProbe.get("http://127.0.0.1:\(port)/healthz")?.body ?? "")
                agent.signal(SIGTERM)
                let ended = await agent.wait()
                outputs += [ended.stdout, ended.stderr]
                #expect(ended.stderr.contains("debug") || ended.stderr.contains("trace"))
            }
            #expect(await sandbox.stats().answers.count == 8)
            return outputs
        }
        let db = workspace.db
        for command in [
            ["status", "--db", db], ["status", "--db", db, "--format", "json"], ["answers", "list", "--db", db],
            ["explain", "FR-70001", "--db", db], ["report", "--db", db, "--format", "csv"],
            ["report", "--db", db, "--format", "json"], ["report", "--db", db, "--format", "markdown"],
            ["report", "--db", db, "--format", "html"],
        ] {
            let output = try await AgentBinary.run(command)
            #expect(output.status == 0, "\(command): \(output.stderr)")
            outputs += [output.stdout, output.stderr]
        }
        for file in try FileManager.default.contentsOfDirectory(atPath: workspace.directory.path) where file != "token"
        {
            outputs.append(
                String(decoding: try Data(contentsOf: workspace.directory.appendingPathComponent(file)), as: UTF8.self))
        }
        #expect(outputs.count > 20)
        let leaks = outputs.filter { $0.contains(Harness.token) }
        #expect(leaks.isEmpty, "the token appears in \(leaks.count) outputs: \(leaks.first?.prefix(300) ?? "")")
    }
}
