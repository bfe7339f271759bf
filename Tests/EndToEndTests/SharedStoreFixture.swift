import AgentTesting
import FlxpointSandbox
import Foundation
import Testing

/// What the failover tests start from: a folder with the guard-free rules, a backlog of
/// generated FRs, and their stock imported into a PostgreSQL database by the real binary.
struct SharedStoreFixture {
    let directory: URL
    let rules: String
    let seed: SandboxSeed
    /// The token and the database password, for every agent process.
    let environment: [String: String]

    init(_ name: String, database url: String, cluster: PostgresCluster, seed number: UInt64) async throws {
        directory = try Scratch.directory(name)
        rules = directory.appendingPathComponent("rules.yaml").path
        try AgentFixture.rulesWithoutGuard.write(toFile: rules, atomically: true, encoding: .utf8)
        seed = SandboxSeed.generate(count: 120, seed: number, now: Date())
        let stockFile = directory.appendingPathComponent("stock.csv").path
        try seed.stockCSV.write(toFile: stockFile, atomically: true, encoding: .utf8)
        environment = cluster.environment.merging(["FLXPOINT_SOURCE_TOKEN": Harness.token]) { $1 }
        let imported = try await AgentBinary.run(
            ["stock", "import", stockFile, "--database", url], environment: environment)
        #expect(imported.status == 0, "\(imported.stderr)")
    }

    func remove() { try? FileManager.default.removeItem(at: directory) }

    /// FRs not decided yet plus answers not through yet, counted on `cluster`: 0 when done.
    func workLeft(on cluster: PostgresCluster, database: String) async throws -> Int? {
        Int(
            try await cluster.psql(
                """
                SELECT (SELECT count(*) FROM outbox WHERE state <> 'done')
                     + (\(seed.frs.count) - (SELECT count(DISTINCT fr_id) FROM decision))
                """, database: database
            ).trimmingCharacters(in: .whitespacesAndNewlines))
    }
}

extension PostgresCluster {
    /// The pid of the agent holding a live lease in `database`, if one does.
    func leaseHolder(database: String) async throws -> Int32? {
        Int32(
            try await psql(
                "SELECT p.pid FROM lease l JOIN agent_process p ON p.holder = l.holder WHERE l.expires_at > now()",
                database: database
            ).trimmingCharacters(in: .whitespacesAndNewlines))
    }

    /// Has the server end every agent connection to `database` (only this test's: the cluster
    /// is shared); how many it ended.
    func endAgentConnections(database: String) async throws -> Int {
        let ended = try await psql(
            """
            SELECT count(*) FROM (SELECT pg_terminate_backend(pid) FROM pg_stat_activity
                                  WHERE application_name LIKE 'source-agent %'
                                      AND datname = current_database()) AS t
            """, database: database)
        return Int(ended.trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0
    }
}
