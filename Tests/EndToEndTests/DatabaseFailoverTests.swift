import AgentTesting
import FlxpointSandbox
import Foundation
import Testing

/// The database machine lost: a primary with a synchronous standby, the primary killed with
/// SIGKILL during a run (every one of its processes), the standby promoted. The agents, whose URL names both hosts, find the new primary and
/// carry on; every FR is answered exactly once.
@Suite("Database failover")
struct DatabaseFailoverTests {
    @Test(
        "the primary killed mid-run and the standby promoted: the agents carry on, nothing answered twice")
    func primaryLost() async throws {
        guard let binaries = PostgresCluster.binaryFolder() else {
            if ProcessInfo.processInfo.environment["SOURCE_AGENT_REQUIRE_POSTGRES"] == "1" {
                Issue.record("PostgreSQL is required but not installed")
            }
            try Test.cancel(Comment(rawValue: PostgresCluster.skipReason))
        }
        // Synchronous for real: a commit returns once the standby has it (the helper's clusters
        // otherwise commit without waiting, for speed).
        let primary = try await PostgresCluster.start(
            binaries: binaries,
            settings: ["synchronous_standby_names": "'standby1'", "wal_level": "replica", "synchronous_commit": "on"])
        defer { primary.destroy() }
        let standby = try await PostgresCluster.standby(of: primary)
        defer { standby.destroy() }
        try await primary.psql("CREATE DATABASE agent")
        // Both hosts, the primary first; the agents look for the one that accepts writes.
        let url = "postgres://agent@127.0.0.1:\(primary.port),127.0.0.1:\(standby.port)/agent?sslmode=disable"

        let fixture = try await SharedStoreFixture("agent-db-failover", database: url, cluster: primary, seed: 12)
        defer { fixture.remove() }
        let (rules, seed, env) = (fixture.rules, fixture.seed, fixture.environment)

        try await Harness.withSandbox(frs: seed.frs) { config in
            config.latency = .milliseconds(20)
        } _: { sandboxURL, sandbox in
            let arguments = [
                "run", "--database", url, "--rules", rules, "--api-url", sandboxURL, "--max-rps", "20",
                "--interval", "0.3s", "--lease-ttl", "3s", "--lease-renew", "1s",
            ]
            let agents = [
                try AgentBinary.launch(arguments, environment: env),
                try AgentBinary.launch(arguments, environment: env),
            ]
            defer { for agent in agents { agent.signal(SIGKILL) } }
            // Some answers go out, then the primary dies mid-run.
            let start = Date()
            while await sandbox.stats().answers.count < 20, Date().timeIntervalSince(start) < 90 {
                try await Task.sleep(for: .milliseconds(100))
            }
            let before = await sandbox.stats().answers.count
            #expect(
                before >= 20, "\(agents.map { $0.stderr.split(separator: "\n").suffix(8).joined(separator: "\n") })")
            try primary.kill()
            try await Task.sleep(for: .seconds(1))
            try await standby.promote()
            let promoted = Date()
            let deadline = Date().addingTimeInterval(60)
            var remaining: Int?
            while Date() < deadline {
                remaining = try await fixture.workLeft(on: standby, database: "agent")
                if remaining == 0 { break }
                try await Task.sleep(for: .milliseconds(200))
            }
            print(
                "database failover: \(before) answers before the primary died; all \(seed.frs.count) FRs decided "
                    + String(format: "%.1fs", Date().timeIntervalSince(promoted)) + " after the promotion")
            #expect(
                remaining == 0,
                "\(agents.map { $0.stderr.split(separator: "\n").suffix(12).joined(separator: "\n") })")
            for agent in agents { agent.signal(SIGTERM) }
            for agent in agents { _ = await agent.waitForExit(timeout: .seconds(10)) }
            let stats = await sandbox.stats()
            #expect(stats.duplicates == 0 && stats.contradictions == 0)
            #expect(stats.answers.values.allSatisfy { $0 == 1 })
            let done = try await standby.psql("SELECT count(*) FROM outbox WHERE state = 'done'", database: "agent")
            #expect(Int(done.trimmingCharacters(in: .whitespacesAndNewlines)) == stats.answers.count)
        }
    }
}
