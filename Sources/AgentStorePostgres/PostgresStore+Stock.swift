import AgentStore
import AgentStoreSQL
import Foundation
import FulfillmentCore
import PostgresNIO

/// Stock snapshots by pool, and what the inventory push remembers.
extension PostgresStore {
    public func replaceStock(
        _ levels: [StockLevel], source file: String, pool: String?, at now: Date, asOf: Date?, allowShrink: Bool
    ) async throws {
        let pool = pool ?? self.pool
        try await database.write { connection in
            try await lockPool(connection, pool)
            if !allowShrink {
                let current = try await connection.rows(
                    "SELECT sku, location, on_hand FROM stock WHERE pool = \(pool)", logger
                ).map {
                    StockLevel(
                        sku: try $0["sku"].decode(String.self), location: try $0["location"].decode(String.self),
                        onHand: try $0["on_hand"].decode(Int.self))
                }
                let shrink = StockShrink(current: current, incoming: levels)
                if shrink.isTooLarge { throw StockShrinkRefused(shrink) }
            }
            try await connection.run("DELETE FROM stock WHERE pool = \(pool)", logger)
            for batch in levels.chunked(5000) {
                // A missing cost travels as -1 (costs are never negative) and is stored as NULL.
                try await connection.run(
                    """
                    INSERT INTO stock (pool, sku, location, on_hand, cost)
                    SELECT \(pool), t.sku, t.location, t.on_hand, CASE WHEN t.cost < 0 THEN NULL ELSE t.cost END
                    FROM unnest(\(batch.map { $0.sku.storable })::text[], \(batch.map { $0.location.storable })::text[],
                                \(batch.map(\.onHand))::bigint[],
                                \(batch.map { $0.cost ?? -1 })::double precision[]) AS t(sku, location, on_hand, cost)
                    """, logger)
            }
            try await connection.run(
                """
                INSERT INTO stock_import (pool, imported_at, as_of, source, rows)
                VALUES (\(pool), \(now), \(asOf ?? now), \(file.storable), \(levels.count))
                """, logger)
        }
    }

    public func lastStockImport() async throws -> Date? {
        try await database.read { connection in
            try await connection.value(
                Date.self, "SELECT max(imported_at) FROM stock_import WHERE pool = \(pool)", logger)
        }
    }

    public func stockLevels() async throws -> [StockLevel] {
        try await loadLedger().onHand.flatMap { sku, locations in
            locations.map { StockLevel(sku: sku, location: $0.key, onHand: $0.value) }
        }.sorted { ($0.sku, $0.location) < ($1.sku, $1.location) }
    }

    public func variantIds(for skus: [String]) async throws -> [String: Int] {
        let wanted = Set(skus)
        return try await database.read { connection in
            var out: [String: Int] = [:]
            for row in try await connection.rows(
                "SELECT sku, variant_id FROM inventory_variant WHERE source_name = \(source)", logger)
            {
                let sku = try row["sku"].decode(String.self)
                if wanted.contains(sku) { out[sku] = try row["variant_id"].decode(Int.self) }
            }
            return out
        }
    }

    public func cacheVariantIds(_ ids: [String: Int], at now: Date) async throws {
        guard !ids.isEmpty else { return }
        let pairs = ids.sorted { $0.key < $1.key }
        try await writeForSource { connection in
            try await connection.run(
                """
                INSERT INTO inventory_variant (source_name, sku, variant_id, fetched_at)
                SELECT \(source), t.sku, t.id, \(now)
                FROM unnest(\(pairs.map { $0.key.storable })::text[], \(pairs.map(\.value))::bigint[]) AS t(sku, id)
                ON CONFLICT (source_name, sku) DO UPDATE SET variant_id = excluded.variant_id,
                    fetched_at = excluded.fetched_at
                """, logger)
        }
    }

    public func pushedFigures() async throws -> [String: PushedFigure] {
        try await database.read { connection in
            var out: [String: PushedFigure] = [:]
            for row in try await connection.rows(
                "SELECT sku, quantity, cost FROM inventory_push WHERE source_name = \(source)", logger)
            {
                out[try row["sku"].decode(String.self)] = PushedFigure(
                    quantity: try row["quantity"].decode(Int.self), cost: try row["cost"].decode(Double?.self))
            }
            return out
        }
    }

    public func recordPushed(_ figures: [String: PushedFigure], at now: Date) async throws {
        guard !figures.isEmpty else { return }
        try await writeForSource { connection in
            for (sku, figure) in figures.sorted(by: { $0.key < $1.key }) {
                try await connection.run(
                    """
                    INSERT INTO inventory_push (source_name, sku, quantity, cost, pushed_at)
                    VALUES (\(source), \(sku.storable), \(figure.quantity), \(figure.cost), \(now))
                    ON CONFLICT (source_name, sku) DO UPDATE SET quantity = excluded.quantity, cost = excluded.cost,
                        pushed_at = excluded.pushed_at
                    """, logger)
            }
        }
    }

    public func stockCosts() async throws -> [String: Double] {
        try await database.read { connection in
            var out: [String: Double] = [:]
            for row in try await connection.rows(
                "SELECT sku, cost FROM stock WHERE pool = \(pool) AND cost IS NOT NULL ORDER BY sku, location", logger)
            {
                let sku = try row["sku"].decode(String.self)
                if out[sku] == nil { out[sku] = try row["cost"].decode(Double.self) }
            }
            return out
        }
    }

    public func stockPositions() async throws -> [StockPosition] {
        try await database.read { connection in
            let counted = try await connection.rows(
                PostgresQuery(unsafeSQL: Self.numbered(SharedSQL.Stock.counted), binds: try Self.binds(pool)), logger
            ).map {
                (
                    sku: try $0["sku"].decode(String.self), location: try $0["location"].decode(String.self),
                    units: try $0["on_hand"].decode(Int.self)
                )
            }
            let taken = try await taken(connection)
            var pushed: [String: (quantity: Int, at: Date)] = [:]
            for row in try await connection.rows(
                PostgresQuery(unsafeSQL: Self.numbered(SharedSQL.Stock.pushed), binds: try Self.binds(source)), logger
            ) {
                pushed[try row["sku"].decode(String.self)] = (
                    try row["quantity"].decode(Int.self), try row["pushed_at"].decode(Date.self)
                )
            }
            return StockPosition.combine(counted: counted, taken: taken, pushed: pushed)
        }
    }
}
