import AgentStore
import AgentStoreSQL
import Foundation
import FulfillmentCore
import PostgresNIO

/// Each pool's kits.
extension PostgresStore {
    public func replaceKits(_ kits: [Kit], source file: String, pool: String?, at now: Date) async throws {
        let pool = pool ?? self.pool
        let rows = kits.flatMap { kit in kit.components.map { (kit: kit.sku, component: $0) } }
        try await database.write { connection in
            // Under the pool's lock: no decision of the pool is half made with the old kits.
            try await lockPool(connection, pool)
            try await connection.run("DELETE FROM kit WHERE pool = \(pool)", logger)
            for (offset, batch) in rows.chunked(5000).enumerated() {
                let first = offset * 5000
                try await connection.run(
                    """
                    INSERT INTO kit (pool, kit_sku, component_sku, quantity, position, imported_at, source)
                    SELECT \(pool), t.kit, t.component, t.quantity, t.position, \(now), \(file.storable)
                    FROM unnest(\(batch.map { $0.kit.storable })::text[], \(batch.map { $0.component.sku.storable })::text[],
                                \(batch.map(\.component.quantity))::integer[],
                                \(Array(first..<first + batch.count))::integer[]) AS t(kit, component, quantity, position)
                    """, logger)
            }
        }
    }

    public func kitListing() async throws -> KitListing {
        try await database.read { connection in try await kitListing(connection) }
    }

    /// The pool's kits as this transaction sees them.
    func kitListing(_ connection: PostgresConnection) async throws -> KitListing {
        let rows = try await connection.rows(
            PostgresQuery(unsafeSQL: Self.numbered(SharedSQL.Stock.kits), binds: try Self.binds(pool)), logger)
        var parts: [(kit: String, component: String, quantity: Int)] = []
        var importedAt: Date?
        var file: String?
        for row in rows {
            parts.append(
                (
                    try row["kit_sku"].decode(String.self), try row["component_sku"].decode(String.self),
                    try row["quantity"].decode(Int.self)
                ))
            if importedAt == nil {
                importedAt = try row["imported_at"].decode(Date.self)
                file = try row["source"].decode(String.self)
            }
        }
        return KitListing(kits: KitListing.kits(rows: parts), importedAt: importedAt, file: file)
    }
}
