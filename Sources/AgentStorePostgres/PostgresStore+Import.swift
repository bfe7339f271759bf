import AgentStore
import Foundation
import PostgresNIO

/// Rows copied in from a SQLite database (`db copy`), ids kept, into an empty store.
extension PostgresStore {
    /// Tables with an identity column, whose next id must follow the copied ones.
    static let identityTables = [
        "cycle", "decision", "shipment", "outbox", "reservation", "stock_import", "quarantine", "alert", "audit",
        "rule_version", "tracking_file",
    ]

    /// The tables `StoreSchema.exportedTables` names that already hold rows here (the
    /// default source's own row aside): a copy goes into an empty database only.
    public func nonEmptyTables() async throws -> [String] {
        try await database.read { connection in
            var tables: [String] = []
            for table in StoreSchema.exportedTables {
                let filter = table == "source" ? " WHERE name <> 'default'" : ""
                let count =
                    try await connection.value(
                        Int.self, PostgresQuery(unsafeSQL: "SELECT count(*) FROM \(table)\(filter)"), logger) ?? 0
                if count > 0 { tables.append(table) }
            }
            return tables
        }
    }

    /// Inserts rows of `table` as `exportRows` gives them: text values, read by each column's
    /// type (instants in UTC). Sources replace the default row `migrate` made.
    public func importRows(table: String, rows: [[String: String?]]) async throws {
        guard StoreSchema.exportedTables.contains(table) else { throw ExportError(table: table) }
        guard !rows.isEmpty else { return }
        let json = String(decoding: try JSONEncoder().encode(rows), as: UTF8.self)
        let conflict = table == "source" ? " ON CONFLICT (name) DO UPDATE SET pool = excluded.pool" : ""
        try await database.write { connection in
            try await connection.run("SELECT set_config('TimeZone', 'UTC', true)", logger)
            // History moves as it was: the stock backstop checks new promises only.
            try await connection.run("SELECT set_config('source_agent.copying', 'on', true)", logger)
            let columns = try await connection.values(
                String.self,
                """
                SELECT column_name::text FROM information_schema.columns
                WHERE table_schema = current_schema() AND table_name = \(table) ORDER BY ordinal_position
                """, logger)
            let present = columns.filter { column in rows.contains { $0.keys.contains(column) } }
            let list = present.joined(separator: ", ")
            try await connection.run(
                PostgresQuery(
                    unsafeSQL: """
                        INSERT INTO \(table) (\(list)) OVERRIDING SYSTEM VALUE
                        SELECT \(list) FROM json_populate_recordset(NULL::\(table), $1::json)\(conflict)
                        """, binds: try Self.binds(json)), logger)
            if table == "fr" {
                try await connection.run(
                    "UPDATE fr SET ship_by_day = ship_by_day(raw_json) WHERE ship_by_day IS NULL", logger)
            }
        }
    }

    /// Moves each identity column's next value past the copied ids.
    public func resetIdentities() async throws {
        try await database.write { connection in
            for table in Self.identityTables {
                try await connection.run(
                    PostgresQuery(
                        unsafeSQL: """
                            SELECT setval(pg_get_serial_sequence('\(table)', 'id'),
                                          coalesce((SELECT max(id) FROM \(table)), 0) + 1, false)
                            """), logger)
            }
        }
    }

    /// How many rows `table` holds.
    public func importedCount(table: String) async throws -> Int {
        guard StoreSchema.exportedTables.contains(table) else { throw ExportError(table: table) }
        return try await database.read { connection in
            try await connection.value(Int.self, PostgresQuery(unsafeSQL: "SELECT count(*) FROM \(table)"), logger) ?? 0
        }
    }
}
