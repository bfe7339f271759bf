import Foundation
import Logging
import PostgresNIO

/// The PostgreSQL schema, as numbered migrations: appended, never edited. Its first version
/// is the SQLite engine's schema as it stands after its own eight migrations, with PostgreSQL
/// types (`timestamptz`, `boolean`, identity columns); the same constraints keep the agent's
/// promises: at most one live answer per FR, at most one live non-hold decision per FR, no
/// negative stock, reservations tied to a decision.
enum PostgresMigrations {
    /// (version, name, SQL statements).
    static let all: [(version: Int, name: String, statements: [String])] = [
        (1, "the store: sources, FRs, decisions, outbox, stock, reservations, shipments, alerts", v1),
        (2, "leases: live processes, a lease per source, the epoch of each send", v2),
        (3, "a request budget per token, shared by every process", v3),
        (4, "backstop: units held from the shelf never exceed the units on hand", v4),
        (5, "decisions by FR, covering the latest-decision lookups", v5),
        (6, "the console: audit log, rule versions, tracking files", v6),
        (7, "one policy for the fleet: rules in force, loaded versions, inbox claims", v7),
        (8, "kits: each pool's kits and their components", v8),
        (9, "stock on its way: expected arrivals, reservations promised from one", v9),
    ]

    /// A fixed key for the transaction-scoped lock that keeps two starting agents from
    /// migrating at once ("SAMG" in ASCII).
    static let lockKey: Int64 = 0x5341_4D47

    /// Applies every migration not yet applied, in one transaction under the migration lock:
    /// a second process starting at the same moment waits, then finds nothing left to do.
    /// Returns the versions applied now.
    @discardableResult
    static func migrate(_ database: PostgresDatabase) async throws -> [Int] {
        let logger = database.logger
        return try await database.write { connection in
            try await connection.run("SELECT pg_advisory_xact_lock(\(lockKey))", logger)
            try await connection.run(
                """
                CREATE TABLE IF NOT EXISTS schema_migration (
                    version integer PRIMARY KEY,
                    name text NOT NULL,
                    applied_at timestamptz NOT NULL DEFAULT now()
                )
                """, logger)
            let applied = Set(try await connection.values(Int.self, "SELECT version FROM schema_migration", logger))
            if let newest = applied.max(), newest > all.count {
                throw PostgresStatementError(
                    description:
                        "the database's schema is version \(newest), newer than this build knows (\(all.count)): "
                        + "upgrade source-agent", sqlState: nil)
            }
            var done: [Int] = []
            for migration in all where !applied.contains(migration.version) {
                for statement in migration.statements {
                    try await connection.run(PostgresQuery(unsafeSQL: statement), logger)
                }
                try await connection.run(
                    "INSERT INTO schema_migration (version, name) VALUES (\(migration.version), \(migration.name))",
                    logger)
                done.append(migration.version)
            }
            return done
        }
    }
}
