import AgentTesting
import FlxpointSandbox
import Foundation
import Testing

/// Secrets wherever they sit in a URL (user name and password, a query value, a webhook's
/// path): fed to every URL setting, they appear in no output channel: stdout and stderr of
/// `config show` and `run`, `/metrics`, the console's pages, the database file.
@Suite("Secrets in URLs are never printed")
struct URLSecretsTests {
    static let env = ["FLXPOINT_SOURCE_TOKEN": Harness.token]

    @Test("an API URL carrying a query is refused, and the refusal does not repeat its values")
    func apiURLQuery() async throws {
        for url in ["http://127.0.0.1:1/?token=SECRET-Q1", "https://api.example.com/v1?key=SECRET-Q2#SECRET-F"] {
            let result = try await AgentBinary.run(["config", "show", "--api-url", url], environment: Self.env)
            #expect(result.status == 2, "\(result.stderr)")
            #expect(result.stderr.contains("has a query") && !result.stderr.contains("SECRET"), "\(result.stderr)")
        }
    }

    @Test("a webhook's user, path and query, and a database URL's query, appear in no output")
    func webhookEverywhere() async throws {
        let workspace = try AgentProcessTests.Workspace()
        defer { try? FileManager.default.removeItem(at: workspace.directory) }
        try await workspace.write(rules: AgentProcessTests.acknowledgeEverything)
        let receiver = WebhookReceiver()
        try await receiver.withRunning { hook in
            // The receiver listens on /hook: the secret path is its last segments, as Slack's are.
            let secret =
                hook.replacingOccurrences(of: "http://", with: "http://alerts:SECRET-PASSWORD@")
                + "?sig=SECRET-QUERY#SECRET-FRAGMENT"
            let shown = try await AgentBinary.run(
                ["config", "show", "--db", workspace.db, "--rules", workspace.rules],
                environment: Self.env.merging(["SOURCE_AGENT_ALERT_WEBHOOK": secret]) { $1 })
            #expect(shown.status == 0, "\(shown.stderr)")
            #expect(shown.stdout.contains("http://***@127.0.0.1:") && shown.stdout.contains("/***?sig=***#***"))
            #expect(shown.stdout.contains("# note: alert_webhook carries a user name and password"))
            var outputs = [shown.stdout, shown.stderr]
            let frs = AgentFixture.simpleFRs([("A", 1), ("A", 1)])
            outputs += try await Harness.withSandbox(frs: frs) { url, sandbox in
                var outputs: [String] = []
                let metrics = FreePort.loopback()
                let console = FreePort.loopback()
                let agent = try AgentBinary.launch(
                    workspace.arguments(
                        url,
                        [
                            "--alert-webhook", secret, "--metrics-port", "\(metrics)", "--console-port", "\(console)",
                        ]), environment: Self.env.merging(["LOG_LEVEL": "trace"]) { $1 })
                _ = await RunningAgent.eventually { await sandbox.stats().answers.count == 2 }
                outputs.append(await HTTPProbe.get("http://127.0.0.1:\(metrics)/metrics")?.body ?? "")
                for page in ["/", "/holds", "/rules", "/audit", "/shipments"] {
                    outputs.append(await HTTPProbe.get("http://127.0.0.1:\(console)\(page)")?.body ?? "")
                }
                agent.signal(SIGTERM)
                let ended = await agent.wait()
                outputs += [ended.stdout, ended.stderr]
                #expect(ended.stderr.contains("http://***@127.0.0.1:"), "the start-up line names the webhook, redacted")
                return outputs
            }
            let database = try Data(contentsOf: URL(fileURLWithPath: workspace.db))
            outputs.append(String(decoding: database, as: UTF8.self))
            for output in outputs {
                #expect(
                    !output.contains("SECRET"), "\(output.components(separatedBy: "SECRET").first?.suffix(200) ?? "")")
            }
        }
    }

    @Test("the database password appears in no trace line of run, nor in config show or status")
    func databasePassword() async throws {
        guard let cluster = try await PostgresCluster.shared() else {
            try Test.cancel(Comment(rawValue: PostgresCluster.skipReason))
        }
        let url = try await cluster.makeDatabase("secrets")
        defer { cluster.dropDatabase(url: url) }
        let workspace = try AgentProcessTests.Workspace()
        defer { try? FileManager.default.removeItem(at: workspace.directory) }
        try await workspace.write(rules: AgentProcessTests.acknowledgeEverything)
        let env = cluster.environment.merging(Self.env) { $1 }.merging(["LOG_LEVEL": "trace"]) { $1 }
        var outputs = try await Harness.withSandbox(frs: AgentFixture.simpleFRs([("A", 1)])) { sandboxURL, _ in
            let run = try await AgentBinary.run(
                [
                    "run", "--once", "--database", url, "--rules", workspace.rules, "--api-url",
                    sandboxURL,
                ],
                environment: env)
            #expect(run.status == 0, "\(run.stderr.suffix(2000))")
            return [run.stdout, run.stderr]
        }
        for command in [["config", "show"], ["status"], ["rules", "status"], ["leases"]] {
            let result = try await AgentBinary.run(command + ["--database", url], environment: env)
            outputs += [result.stdout, result.stderr]
        }
        for output in outputs { #expect(!output.contains(cluster.password), "\(output.prefix(300))") }
    }
}
