import AgentStore
import Foundation
import GRDB

extension AgentDatabase {
    /// Cached Flxpoint variant ids by SKU, for the SKUs given. The cache is read whole in one
    /// query: a push asks for most of it anyway.
    public func variantIds(for skus: [String]) async throws -> [String: Int] {
        let wanted = Set(skus)
        return try await writer.read { [source] db in
            var out: [String: Int] = [:]
            for row in try Row.fetchAll(
                db, sql: "SELECT sku, variant_id FROM inventory_variant WHERE source_name = ?", arguments: [source])
            where wanted.contains(row["sku"]) {
                out[row["sku"]] = row["variant_id"]
            }
            return out
        }
    }

    /// Remembers variant ids Flxpoint returned.
    public func cacheVariantIds(_ ids: [String: Int], at now: Date) async throws {
        guard !ids.isEmpty else { return }
        try await writer.write { [source] db in
            for (sku, id) in ids {
                try db.execute(
                    sql: """
                        INSERT INTO inventory_variant (source_name, sku, variant_id, fetched_at) VALUES (?, ?, ?, ?)
                        ON CONFLICT(source_name, sku) DO UPDATE SET variant_id = excluded.variant_id,
                            fetched_at = excluded.fetched_at
                        """, arguments: [source, sku, id, now])
            }
        }
    }

    /// The figures of the last successful push, by SKU.
    public func pushedFigures() async throws -> [String: PushedFigure] {
        try await writer.read { [source] db in
            var out: [String: PushedFigure] = [:]
            for row in try Row.fetchAll(
                db, sql: "SELECT sku, quantity, cost FROM inventory_push WHERE source_name = ?", arguments: [source])
            {
                out[row["sku"]] = PushedFigure(quantity: row["quantity"], cost: row["cost"])
            }
            return out
        }
    }

    /// Records figures Flxpoint accepted.
    public func recordPushed(_ figures: [String: PushedFigure], at now: Date) async throws {
        try await writer.write { [source] db in
            for (sku, figure) in figures {
                try db.execute(
                    sql: """
                        INSERT INTO inventory_push (source_name, sku, quantity, cost, pushed_at) VALUES (?, ?, ?, ?, ?)
                        ON CONFLICT(source_name, sku) DO UPDATE SET quantity = excluded.quantity, cost = excluded.cost,
                            pushed_at = excluded.pushed_at
                        """, arguments: [source, sku, figure.quantity, figure.cost, now])
            }
        }
    }

    /// A unit cost per SKU from the stock snapshot: the first location (by name) that gives one.
    public func stockCosts() async throws -> [String: Double] {
        try await writer.read { [pool] db in
            var out: [String: Double] = [:]
            for row in try Row.fetchAll(
                db, sql: "SELECT sku, cost FROM stock WHERE pool = ? AND cost IS NOT NULL ORDER BY sku, location",
                arguments: [pool])
            where out[row["sku"]] == nil {
                out[row["sku"]] = row["cost"]
            }
            return out
        }
    }
}
