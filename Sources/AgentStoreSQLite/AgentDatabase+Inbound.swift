import AgentStore
import AgentStoreSQL
import Foundation
import FulfillmentCore
import GRDB

/// Each pool's stock on its way.
extension AgentDatabase {
    public func replaceInbound(_ inbound: [InboundStock], source file: String, pool: String?, at now: Date)
        async throws
    {
        let pool = pool ?? self.pool
        try await writer.write { db in
            try db.execute(sql: "DELETE FROM inbound WHERE pool = ?", arguments: [pool])
            for (position, row) in inbound.enumerated() {
                try db.execute(
                    sql: """
                        INSERT INTO inbound (pool, position, sku, location, quantity, expected_at, imported_at, source)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                        """,
                    arguments: [pool, position, row.sku, row.location, row.quantity, row.expectedAt, now, file])
            }
        }
    }

    public func inboundListing() async throws -> InboundListing {
        try await writer.read { [pool] db in try Self.inboundListing(db, pool: pool) }
    }

    /// The pool's stock on its way as this connection sees it.
    static func inboundListing(_ db: Database, pool: String) throws -> InboundListing {
        let rows = try Row.fetchAll(db, sql: SharedSQL.Stock.inbound, arguments: [pool])
        return InboundListing(
            rows: rows.map {
                InboundStock(
                    sku: $0["sku"], location: $0["location"], quantity: $0["quantity"], expectedAt: $0["expected_at"])
            }, importedAt: rows.first?["imported_at"], file: rows.first?["source"])
    }

    public func inboundPromises() async throws -> [InboundPromise] {
        try await writer.read { [source] db in
            try Row.fetchAll(db, sql: SharedSQL.Stock.inboundPromises, arguments: [source]).map {
                InboundPromise(
                    frId: $0["fr_id"], frJSON: $0["raw_json"],
                    reservation: StockReservation(
                        sku: $0["sku"], location: $0["location"], quantity: $0["quantity"], inboundAt: $0["inbound_at"])
                )
            }
        }
    }

    /// Units the pool's sources hold from stock on its way, per arrival.
    static func promisedInbound(_ db: Database, pool: String) throws -> [StockReservation] {
        try Row.fetchAll(db, sql: SharedSQL.Stock.promisedInbound, arguments: [pool]).map {
            StockReservation(
                sku: $0["sku"], location: $0["location"], quantity: $0["units"], inboundAt: $0["inbound_at"])
        }
    }
}
