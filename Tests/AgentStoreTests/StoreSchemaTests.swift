import AgentStore
import AgentStorePostgres
import AgentTesting
import Foundation
import PostgresNIO
import Testing

@testable import AgentStoreSQLite

/// The interface's `StoreSchema` is what every engine migrates to, table for table: SQLite's
/// migrations (run on an empty database) and PostgreSQL's (on an empty database) make exactly
/// its tables and columns, beside each engine's own bookkeeping.
@Suite("Store contract: the schema every engine migrates to")
struct StoreSchemaTests {
    @Test("SQLite's migrations make StoreSchema's tables and columns, and only its own table besides")
    func sqlite() throws {
        var migrated = try AgentDatabase.migratedSchema()
        #expect(migrated.removeValue(forKey: "grdb_migrations") != nil)
        #expect(migrated == StoreSchema.tables)
    }

    @Test("PostgreSQL's migrations make StoreSchema's tables and columns, and only its own tables besides")
    func postgres() async throws {
        try await ScratchPostgres.withDatabase(migrated: false) { database in
            _ = try await PostgresStore.open(database)
            let columns = try await PostgresStore.columns(database)
            var own = columns
            for table in StoreSchema.tables.keys { own.removeValue(forKey: table) }
            #expect(Set(own.keys) == PostgresStore.ownTables)
            for (table, expected) in StoreSchema.tables {
                let engine = columns[table]?.subtracting(PostgresStore.ownColumns[table] ?? [])
                #expect(engine == expected, "\(table)")
            }
        }
    }

    @Test("what a database lacks is said per table: an engine's own table, a table, a column")
    func problems() {
        var actual = StoreSchema.tables
        #expect(StoreSchema.problems(in: actual) == [])
        actual["outbox"]?.remove("last_error")
        actual["audit"] = nil
        #expect(
            StoreSchema.problems(in: actual, engineTables: ["lease"]) == [
                "table lease is missing", "table audit is missing", "table outbox lacks column last_error",
            ])
    }

    @Test("PostgreSQL refuses a damaged database at open, naming the missing table and column")
    func postgresDamaged() async throws {
        try await ScratchPostgres.withDatabase { database in
            _ = try await PostgresStore.open(database)
            let cluster = try #require(try await PostgresCluster.shared())
            try await cluster.psql(
                "DROP TABLE lease; ALTER TABLE outbox DROP COLUMN last_error", database: database.settings.url.database)
            let error = await #expect(throws: SchemaProblem.self) { try await PostgresStore.openExisting(database) }
            #expect(error?.problems == ["table lease is missing", "table outbox lacks column last_error"])
        }
    }
}
