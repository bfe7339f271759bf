import AgentStore
import AgentStoreSQL
import Foundation
import FulfillmentCore
import GRDB

extension AgentDatabase {
    /// Replaces all on-hand figures of the pool (this source's unless `pool` names another) in
    /// one transaction and records the import: a snapshot of what was on the shelves at `asOf`
    /// (the import time unless the WMS says otherwise). Other pools are untouched.
    ///
    /// Unless `allowShrink`, an import that would leave more than half of the pool's SKUs in
    /// stock with none throws `StockShrinkRefused`, decided in the same transaction as the
    /// write so no import slips between the look and the change.
    public func replaceStock(
        _ levels: [StockLevel], source file: String, pool: String?, at now: Date, asOf: Date?,
        allowShrink: Bool
    ) async throws {
        let pool = pool ?? self.pool
        try await writer.write { db in
            if !allowShrink {
                let current = try Row.fetchAll(
                    db, sql: "SELECT sku, location, on_hand FROM stock WHERE pool = ?", arguments: [pool]
                ).map { StockLevel(sku: $0["sku"], location: $0["location"], onHand: $0["on_hand"]) }
                let shrink = StockShrink(current: current, incoming: levels)
                if shrink.isTooLarge { throw StockShrinkRefused(shrink) }
            }
            try db.execute(sql: "DELETE FROM stock WHERE pool = ?", arguments: [pool])
            for level in levels {
                try db.execute(
                    sql: "INSERT INTO stock (pool, sku, location, on_hand, cost) VALUES (?, ?, ?, ?, ?)",
                    arguments: [pool, level.sku, level.location, level.onHand, level.cost])
            }
            try db.execute(
                sql: "INSERT INTO stock_import (pool, imported_at, as_of, source, rows) VALUES (?, ?, ?, ?, ?)",
                arguments: [pool, now, asOf ?? now, file, levels.count])
        }
    }

    /// When the pool's stock was last imported, if ever.
    public func lastStockImport() async throws -> Date? {
        try await writer.read { [pool] db in
            try Date.fetchOne(db, sql: "SELECT max(imported_at) FROM stock_import WHERE pool = ?", arguments: [pool])
        }
    }

    /// The `as_of` of the pool's snapshot in force: the newest import's.
    static func snapshotAsOf(_ db: Database, pool: String) throws -> Date? {
        try Date.fetchOne(
            db, sql: "SELECT as_of FROM stock_import WHERE pool = ? ORDER BY id DESC LIMIT 1", arguments: [pool])
    }

    /// The pool's units held, and shipped since its count, per SKU, location and state: what
    /// the ledger takes out of the count, and what the stock page shows apart.
    static func taken(_ db: Database, pool: String) throws -> [StockPosition.Taken] {
        let asOf = try snapshotAsOf(db, pool: pool) ?? Date.distantPast
        return try Row.fetchAll(db, sql: SharedSQL.Stock.taken, arguments: [asOf, pool]).map {
            StockPosition.Taken(sku: $0["sku"], location: $0["location"], state: $0["state"], units: $0["units"])
        }
    }

    public func stockPositions() async throws -> [StockPosition] {
        try await writer.read { [source, pool] db in
            let counted = try Row.fetchAll(db, sql: SharedSQL.Stock.counted, arguments: [pool]).map {
                (sku: $0["sku"] as String, location: $0["location"] as String, units: $0["on_hand"] as Int)
            }
            let taken = try Self.taken(db, pool: pool)
            var pushed: [String: (quantity: Int, at: Date)] = [:]
            for row in try Row.fetchAll(db, sql: SharedSQL.Stock.pushed, arguments: [source]) {
                pushed[row["sku"]] = (row["quantity"], row["pushed_at"])
            }
            return StockPosition.combine(counted: counted, taken: taken, pushed: pushed)
        }
    }

    /// Every stock row.
    public func stockLevels() async throws -> [StockLevel] {
        try await loadLedger().onHand.flatMap { sku, locations in
            locations.map { StockLevel(sku: sku, location: $0.key, onHand: $0.value) }
        }.sorted { ($0.sku, $0.location) < ($1.sku, $1.location) }
    }
}
