import Foundation
import FulfillmentCore
import GRDB

extension AgentDatabase {
    /// Replaces all on-hand figures in one transaction and records the import: a snapshot of
    /// what was on the shelves at `asOf` (the import time unless the WMS says otherwise).
    public func replaceStock(_ levels: [StockLevel], source: String, at now: Date, asOf: Date? = nil) async throws {
        try await writer.write { db in
            try db.execute(sql: "DELETE FROM stock")
            for level in levels {
                try db.execute(
                    sql: "INSERT INTO stock (sku, location, on_hand, cost) VALUES (?, ?, ?, ?)",
                    arguments: [level.sku, level.location, level.onHand, level.cost])
            }
            try db.execute(
                sql: "INSERT INTO stock_import (imported_at, as_of, source, rows) VALUES (?, ?, ?, ?)",
                arguments: [now, asOf ?? now, source, levels.count])
        }
    }

    /// When stock was last imported, if ever.
    public func lastStockImport() async throws -> Date? {
        try await writer.read { db in try Date.fetchOne(db, sql: "SELECT max(imported_at) FROM stock_import") }
    }

    /// The `as_of` of the snapshot in force: the newest import's.
    static func snapshotAsOf(_ db: Database) throws -> Date? {
        try Date.fetchOne(db, sql: "SELECT as_of FROM stock_import ORDER BY id DESC LIMIT 1")
    }

    /// Every stock row.
    public func stockLevels() async throws -> [StockLevel] {
        try await loadLedger().onHand.flatMap { sku, locations in
            locations.map { StockLevel(sku: sku, location: $0.key, onHand: $0.value) }
        }.sorted { ($0.sku, $0.location) < ($1.sku, $1.location) }
    }
}
