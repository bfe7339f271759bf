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
        try await ScratchPostgres.withDatabase { database in
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
}
