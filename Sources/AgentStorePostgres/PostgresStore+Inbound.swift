import AgentStore
import AgentStoreSQL
import Foundation
import FulfillmentCore
import PostgresNIO

/// Each pool's stock on its way.
extension PostgresStore {
    public func replaceInbound(_ inbound: [InboundStock], source file: String, pool: String?, at now: Date)
        async throws
    {
        let pool = pool ?? self.pool
        try await database.write { connection in
            // Under the pool's lock: no decision of the pool is half made with the old arrivals.
            try await lockPool(connection, pool)
            try await connection.run("DELETE FROM inbound WHERE pool = \(pool)", logger)
            for (offset, batch) in inbound.chunked(5000).enumerated() {
                let first = offset * 5000
                try await connection.run(
                    """
                    INSERT INTO inbound (pool, position, sku, location, quantity, expected_at, imported_at, source)
                    SELECT \(pool), t.position, t.sku, t.location, t.quantity, t.expected_at, \(now), \(file.storable)
                    FROM unnest(\(Array(first..<first + batch.count))::integer[], \(batch.map { $0.sku.storable })::text[],
                                \(batch.map { $0.location.storable })::text[], \(batch.map(\.quantity))::bigint[],
                                \(batch.map(\.expectedAt))::timestamptz[])
                         AS t(position, sku, location, quantity, expected_at)
                    """, logger)
            }
        }
    }

    public func inboundListing() async throws -> InboundListing {
        try await database.read { connection in try await inboundListing(connection) }
    }

    /// The pool's stock on its way as this transaction sees it.
    func inboundListing(_ connection: PostgresConnection) async throws -> InboundListing {
        let rows = try await connection.rows(
            PostgresQuery(unsafeSQL: Self.numbered(SharedSQL.Stock.inbound), binds: try Self.binds(pool)), logger)
        var out: [InboundStock] = []
        var importedAt: Date?
        var file: String?
        for row in rows {
            out.append(
                InboundStock(
                    sku: try row["sku"].decode(String.self), location: try row["location"].decode(String.self),
                    quantity: try row["quantity"].decode(Int.self), expectedAt: try row["expected_at"].decode(Date.self)
                ))
            if importedAt == nil {
                importedAt = try row["imported_at"].decode(Date.self)
                file = try row["source"].decode(String.self)
            }
        }
        return InboundListing(rows: out, importedAt: importedAt, file: file)
    }

    public func inboundPromises() async throws -> [InboundPromise] {
        try await database.read { connection in
            try await connection.rows(
                PostgresQuery(unsafeSQL: Self.numbered(SharedSQL.Stock.inboundPromises), binds: try Self.binds(source)),
                logger
            ).map {
                InboundPromise(
                    frId: try $0["fr_id"].decode(Int.self), frJSON: try $0["raw_json"].decode(String.self),
                    reservation: StockReservation(
                        sku: try $0["sku"].decode(String.self), location: try $0["location"].decode(String.self),
                        quantity: try $0["quantity"].decode(Int.self), inboundAt: try $0["inbound_at"].decode(Date.self)
                    ))
            }
        }
    }

    /// Units the pool's sources hold from stock on its way, per arrival.
    func promisedInbound(_ connection: PostgresConnection) async throws -> [StockReservation] {
        try await connection.rows(
            PostgresQuery(unsafeSQL: Self.numbered(SharedSQL.Stock.promisedInbound), binds: try Self.binds(pool)),
            logger
        ).map {
            StockReservation(
                sku: try $0["sku"].decode(String.self), location: try $0["location"].decode(String.self),
                quantity: try $0["units"].decode(Int.self), inboundAt: try $0["inbound_at"].decode(Date.self))
        }
    }
}
