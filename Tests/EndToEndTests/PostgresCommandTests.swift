import AgentTesting
import Foundation
import Testing

/// An installation moving to PostgreSQL: `db copy` takes a SQLite database's whole history
/// into an empty PostgreSQL one, and the day-to-day commands then print the same things from
/// either engine.
@Suite("PostgreSQL: db copy and the day-to-day commands")
struct PostgresCommandTests {
    @Test("db copy moves every table; explain, report, replay, holds and answers print the same from both")
    func copyAndCommands() async throws {
        guard let cluster = try await PostgresCluster.shared() else {
            try Test.cancel(Comment(rawValue: PostgresCluster.skipReason))
        }
        let url = try await cluster.makeDatabase("commands")
        defer { cluster.dropDatabase(url: url) }
        let directory = try Scratch.directory("pg-commands")
        defer { try? FileManager.default.removeItem(at: directory) }
        let demo = directory.appendingPathComponent("demo").path
        let made = try await AgentBinary.run(["demo", "--frs", "40", "--dir", demo])
        #expect(made.status == 0, "\(made.stderr.suffix(400))")
        let sqlite = demo + "/demo.sqlite"
        let rules = demo + "/rules.example.yaml"

        // Without a password the server refuses, and the error says where one goes.
        let refused = try await AgentBinary.run(["status", "--database", url])
        #expect(refused.status == 2 && refused.stderr.contains("PGPASSWORD"), "\(refused.stderr)")
        #expect(!refused.stderr.contains(cluster.password))

        let env = cluster.environment
        let copied = try await AgentBinary.run(["db", "copy", "--db", sqlite, "--to", url], environment: env)
        #expect(copied.status == 0, "\(copied.stderr)")
        let decisionLine = try #require(copied.stdout.split(separator: "\n").first { $0.hasPrefix("decision: ") })
        let counts = decisionLine.split(separator: " ").compactMap { Int($0) }
        #expect(counts.count == 2 && counts[0] == counts[1] && counts[0] >= 30, "\(decisionLine)")
        #expect(copied.stdout.contains("copied: every table's count matches"))
        // Into a database that holds rows: refused, nothing written.
        let again = try await AgentBinary.run(["db", "copy", "--db", sqlite, "--to", url], environment: env)
        #expect(again.status == 1 && again.stderr.contains("already holds rows"))

        // (`holds` and `status` print ages, which move between two runs.)
        for command in [
            ["report", "--format", "csv"], ["replay", "--rules", rules],
            ["answers", "list", "--format", "json", "--limit", "100"], ["explain", "FR-50007"],
        ] {
            let fromFile = try await AgentBinary.run(command + ["--db", sqlite])
            let fromPostgres = try await AgentBinary.run(command + ["--database", url], environment: env)
            #expect(fromFile.status == 0 && fromPostgres.status == 0, "\(command): \(fromPostgres.stderr)")
            #expect(fromFile.stdout == fromPostgres.stdout, "\(command)")
            #expect(!fromFile.stdout.isEmpty, "\(command)")
        }
        let status = try await AgentBinary.run(["status", "--database", url, "--format", "json"], environment: env)
        let fileStatus = try await AgentBinary.run(["status", "--db", sqlite, "--format", "json"])
        func holdCount(_ json: String) throws -> Int? {
            (try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])?["holds"] as? Int
        }
        let holdsInFile = try #require(try holdCount(fileStatus.stdout))
        let holdsInPostgres = try holdCount(status.stdout)
        #expect(status.status == 0 && holdsInPostgres == holdsInFile, "\(status.stdout.prefix(300))")
        // The password appears in no output, and the database holds no copy of it.
        #expect(!status.stdout.contains(cluster.password) && !status.stderr.contains(cluster.password))
        let dump = try await cluster.psql(
            "SELECT count(*) FROM decision WHERE facts_json LIKE '%\(cluster.password)%'",
            database: PostgresCluster.databaseName(url))
        #expect(dump.trimmingCharacters(in: .whitespacesAndNewlines) == "0")
        // A person decides a held FR against PostgreSQL; the hold leaves the queue.
        let holds = try await AgentBinary.run(["holds", "--database", url, "--format", "json"], environment: env)
        let held = try #require(
            try JSONSerialization.jsonObject(with: Data(holds.stdout.utf8)) as? [[String: Any]])
        #expect(held.count == holdsInFile && holdsInFile > 0)
        let first = try #require(held.first?["fr_number"] as? String, "\(holds.stdout.prefix(300))")
        let decided = try await AgentBinary.run(
            ["decide", first, "--cancel", "address_invalid", "--by", "ops", "--database", url, "--rules", rules],
            environment: env)
        #expect(decided.status == 0, "\(decided.stderr)")
        let after = try await AgentBinary.run(["holds", "--database", url, "--format", "json"], environment: env)
        #expect(!after.stdout.contains("\"\(first)\""))
    }

    @Test("run --once on PostgreSQL keeps its lease through a cycle longer than the lease")
    func onceOutlastsLease() async throws {
        guard let cluster = try await PostgresCluster.shared() else {
            try Test.cancel(Comment(rawValue: PostgresCluster.skipReason))
        }
        let url = try await cluster.makeMigratedDatabase("once")
        defer { cluster.dropDatabase(url: url) }
        let fixture = try await SharedStoreFixture("agent-once", database: url, cluster: cluster, seed: 13)
        defer { fixture.remove() }
        try await Harness.withSandbox(frs: fixture.seed.frs) { config in
            config.latency = .milliseconds(40)
        } _: { sandboxURL, sandbox in
            // 120 FRs at 10 requests a second take twelve seconds at least: two leases of 6 s,
            // renewed every second (a renewal would have to be five seconds late to lapse, which
            // is beyond even a machine loaded by the whole suite).
            let started = Date()
            let once = try await AgentBinary.run(
                [
                    "run", "--once", "--database", url, "--rules", fixture.rules, "--api-url", sandboxURL,
                    "--max-rps", "10", "--lease-ttl", "6s", "--lease-renew", "1s",
                ], environment: fixture.environment)
            #expect(once.status == 0, "\(once.stderr.suffix(600))")
            // Longer than a lease: without renewals its writes would have been refused.
            #expect(Date().timeIntervalSince(started) > 6)
            let stats = await sandbox.stats()
            #expect(stats.duplicates == 0 && stats.answers.count > 20)
        }
    }
}
