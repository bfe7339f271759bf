import Foundation
import FulfillmentCore

/// Stock snapshots by pool, as imported from the warehouse.
public protocol StockStore: Sendable {
    /// Replaces all on-hand figures of the pool (this source's unless `pool` names another) in
    /// one transaction and records the import: a snapshot of what was on the shelves at `asOf`
    /// (the import time when nil). Other pools are untouched.
    ///
    /// Unless `allowShrink`, an import that would leave more than half of the pool's SKUs in
    /// stock with none throws `StockShrinkRefused`, decided in the same transaction as the
    /// write so no import slips between the look and the change.
    func replaceStock(
        _ levels: [StockLevel], source file: String, pool: String?, at now: Date, asOf: Date?, allowShrink: Bool
    ) async throws
    /// When the pool's stock was last imported, if ever.
    func lastStockImport() async throws -> Date?
    /// Every SKU and location of the pool with its count, held and shipped units and the figure
    /// last pushed for this source: the console's stock page.
    func stockPositions() async throws -> [StockPosition]
    /// Every stock row of the pool.
    func stockLevels() async throws -> [StockLevel]
}

extension StockStore {
    /// Replaces this source's pool's stock as counted now, refusing a large shrink.
    public func replaceStock(_ levels: [StockLevel], source file: String, at now: Date) async throws {
        try await replaceStock(levels, source: file, pool: nil, at: now, asOf: nil, allowShrink: false)
    }
}
