import AgentStore
import AgentStoreSQL
import Foundation
import FulfillmentCore
import GRDB

/// Each pool's kits.
extension AgentDatabase {
    public func replaceKits(_ kits: [Kit], source file: String, pool: String?, at now: Date) async throws {
        let pool = pool ?? self.pool
        try await writer.write { db in
            try db.execute(sql: "DELETE FROM kit WHERE pool = ?", arguments: [pool])
            var position = 0
            for kit in kits {
                for component in kit.components {
                    try db.execute(
                        sql: """
                            INSERT INTO kit (pool, kit_sku, component_sku, quantity, position, imported_at, source)
                            VALUES (?, ?, ?, ?, ?, ?, ?)
                            """,
                        arguments: [pool, kit.sku, component.sku, component.quantity, position, now, file])
                    position += 1
                }
            }
        }
    }

    public func kitListing() async throws -> KitListing {
        try await writer.read { [pool] db in try Self.kitListing(db, pool: pool) }
    }

    /// The pool's kits as this connection sees them.
    static func kitListing(_ db: Database, pool: String) throws -> KitListing {
        let rows = try Row.fetchAll(db, sql: SharedSQL.Stock.kits, arguments: [pool])
        return KitListing(
            kits: KitListing.kits(
                rows: rows.map { (kit: $0["kit_sku"], component: $0["component_sku"], quantity: $0["quantity"]) }),
            importedAt: rows.first?["imported_at"], file: rows.first?["source"])
    }
}
